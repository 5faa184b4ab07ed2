import { describe, expect, it } from "vitest";
import { EMAIL_UNVERIFIED_CODE, IDP_ACCESS_DENIED_CODE, queryValue, signInErrorMessage } from "@/lib/auth/messages";

describe("signInErrorMessage", () => {
  it("is undefined without an error", () => {
    expect(signInErrorMessage(undefined)).toBeUndefined();
    expect(signInErrorMessage("")).toBeUndefined();
  });
  it("explains a sign-in cancelled or refused at the identity provider", () => {
    expect(signInErrorMessage("OAuthCallbackError", IDP_ACCESS_DENIED_CODE)).toMatch(/^The sign-in was cancelled or refused at your identity provider, so you are not signed in/);
    expect(signInErrorMessage("OAuthCallbackError")).toMatch(/^The identity provider returned an error/);
  });
  it("falls back from an unknown code to the error type, then to a generic text", () => {
    expect(signInErrorMessage("OAuthCallbackError", "idp_server_error")).toMatch(/^The identity provider returned an error/);
    expect(signInErrorMessage("AccessDenied")).toMatch(/access was denied/);
    expect(signInErrorMessage("<script>")).toBe("Sign-in failed. Please try again.");
  });
  it("explains an e-mail address the identity provider did not confirm", () => {
    expect(signInErrorMessage("AccessDenied", EMAIL_UNVERIFIED_CODE)).toMatch(/^Your identity provider did not confirm this e-mail address/);
  });
  it("never reads Object.prototype, whatever the query says", () => {
    const generic = "Sign-in failed. Please try again.";
    for (const v of ["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf", "__defineGetter__", "prototype"]) {
      expect(signInErrorMessage("x", v), `code=${v}`).toBe(generic);
      expect(signInErrorMessage(v), `error=${v}`).toBe(generic);
      expect(signInErrorMessage(v, v)).toBe(generic);
      expect(typeof signInErrorMessage(v, v)).toBe("string");
    }
    expect(signInErrorMessage("AccessDenied", "__proto__")).toMatch(/access was denied/);
  });
});

describe("queryValue", () => {
  it("reads own string values only, the first of repeated ones", () => {
    expect(queryValue({ error: "AccessDenied" }, "error")).toBe("AccessDenied");
    expect(queryValue({ code: ["a", "b"] }, "code")).toBe("a");
    expect(queryValue({}, "error")).toBeUndefined();
    // Inherited properties (a polluted prototype) are not query values.
    const inherited = Object.create({ error: "Configuration", callbackUrl: "//evil.example" }) as Record<string, string>;
    expect(queryValue(inherited, "error")).toBeUndefined();
    expect(queryValue(inherited, "callbackUrl")).toBeUndefined();
    expect(queryValue({}, "__proto__")).toBeUndefined();
    expect(queryValue({}, "constructor")).toBeUndefined();
    const parsed = Object.fromEntries(new URLSearchParams("error=x&code=__proto__&__proto__=y"));
    expect(signInErrorMessage(queryValue(parsed, "error"), queryValue(parsed, "code"))).toBe("Sign-in failed. Please try again.");
  });
});
