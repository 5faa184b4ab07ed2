// When the identity provider sends the person back with an OAuth error instead of a code (they cancelled,
// or the IdP refused them), Auth.js redirects to /signin?error=OAuthCallbackError and keeps the reason only
// in its log. This puts the reason back, as `code=idp_<error>`, for the errors the sign-in page can explain
// (lib/auth/messages.ts). Only the redirect's query changes: Auth.js has already checked state and cleared
// its cookies, and the code is an explanation, never a decision.
import { IDP_ACCESS_DENIED_CODE, IDP_LOGIN_REQUIRED_CODE, IDP_UNAVAILABLE_CODE } from "@/lib/auth/messages";

/** OAuth 2.0 / OIDC authorization error codes (RFC 6749 §4.1.2.1, OIDC Core §3.1.2.6) the page explains. */
const IDP_ERRORS = new Map<string, string>([
  ["access_denied", IDP_ACCESS_DENIED_CODE],
  ["consent_required", IDP_ACCESS_DENIED_CODE],
  ["login_required", IDP_LOGIN_REQUIRED_CODE],
  ["interaction_required", IDP_LOGIN_REQUIRED_CODE],
  ["temporarily_unavailable", IDP_UNAVAILABLE_CODE],
]);

export function withIdpErrorCode(request: Request, response: Response): Response {
  const url = new URL(request.url);
  if (!url.pathname.startsWith("/api/auth/callback/")) return response;
  const code = IDP_ERRORS.get(url.searchParams.get("error") ?? "");
  const location = response.headers.get("location");
  if (!code || !location) return response;
  const target = new URL(location, url);
  if (target.origin !== url.origin || target.pathname !== "/signin" || target.searchParams.get("error") !== "OAuthCallbackError" || target.searchParams.has("code")) {
    return response;
  }
  target.searchParams.set("code", code);
  const headers = new Headers(response.headers);
  headers.set("location", target.href);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}
