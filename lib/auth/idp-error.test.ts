import { describe, expect, it } from "vitest";
import { withIdpErrorCode } from "@/lib/auth/idp-error";

const PORTAL = "http://localhost:3000";
const authjsRedirect = (query = "error=OAuthCallbackError") => {
  const res = Response.redirect(`${PORTAL}/signin?${query}`, 302);
  return res;
};
const location = (res: Response) => new URL(res.headers.get("location")!);

describe("withIdpErrorCode", () => {
  it("keeps the IdP's reason when the person cancelled or was refused there", () => {
    const res = withIdpErrorCode(new Request(`${PORTAL}/api/auth/callback/oidc?error=access_denied&error_description=x&state=s`), authjsRedirect());
    expect(res.status).toBe(302);
    expect(location(res).pathname).toBe("/signin");
    expect(Object.fromEntries(location(res).searchParams)).toEqual({ error: "OAuthCallbackError", code: "idp_access_denied" });
    const login = withIdpErrorCode(new Request(`${PORTAL}/api/auth/callback/oidc?error=login_required`), authjsRedirect());
    expect(location(login).searchParams.get("code")).toBe("idp_login_required");
  });

  it("keeps the cookies Auth.js sets (it clears its check cookies on the way)", () => {
    const headers = new Headers({ location: `${PORTAL}/signin?error=OAuthCallbackError` });
    headers.append("set-cookie", "authjs.state=; Max-Age=0; Path=/");
    headers.append("set-cookie", "authjs.pkce.code_verifier=; Max-Age=0; Path=/");
    const res = withIdpErrorCode(new Request(`${PORTAL}/api/auth/callback/oidc?error=access_denied`), new Response(null, { status: 302, headers }));
    expect(res.headers.getSetCookie()).toEqual(["authjs.state=; Max-Age=0; Path=/", "authjs.pkce.code_verifier=; Max-Age=0; Path=/"]);
  });

  it("changes nothing else: other routes, unknown errors, other redirects, a code already set", () => {
    const untouched: [string, Response][] = [
      [`${PORTAL}/api/auth/session?error=access_denied`, authjsRedirect()],
      [`${PORTAL}/api/auth/callback/oidc?error=server_error`, authjsRedirect()],
      [`${PORTAL}/api/auth/callback/oidc?error=__proto__`, authjsRedirect()],
      [`${PORTAL}/api/auth/callback/oidc?code=abc&state=s`, authjsRedirect()],
      [`${PORTAL}/api/auth/callback/oidc?error=access_denied`, authjsRedirect("error=AccessDenied")],
      [`${PORTAL}/api/auth/callback/oidc?error=access_denied`, authjsRedirect("error=OAuthCallbackError&code=email_unverified")],
      [`${PORTAL}/api/auth/callback/oidc?error=access_denied`, Response.redirect("https://elsewhere.example/signin?error=OAuthCallbackError", 302)],
      [`${PORTAL}/api/auth/callback/oidc?error=access_denied`, new Response("ok")],
    ];
    for (const [url, res] of untouched) expect(withIdpErrorCode(new Request(url), res), url).toBe(res);
  });
});
