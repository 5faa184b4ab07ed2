import { describe, expect, it } from "vitest";
import { signInErrorMessage } from "@/lib/auth/messages";

describe("signInErrorMessage", () => {
  it("is undefined without an error", () => {
    expect(signInErrorMessage(undefined)).toBeUndefined();
    expect(signInErrorMessage("")).toBeUndefined();
  });
  it("explains an unknown development user", () => {
    expect(signInErrorMessage("CredentialsSignin", "unknown_user")).toMatch(/^No seeded user with that e-mail/);
  });
  it("falls back from an unknown code to the error type, then to a generic text", () => {
    expect(signInErrorMessage("CredentialsSignin", "credentials")).toMatch(/Sign-in failed/);
    expect(signInErrorMessage("AccessDenied")).toMatch(/access was denied/);
    expect(signInErrorMessage("<script>")).toBe("Sign-in failed. Please try again.");
  });
});
