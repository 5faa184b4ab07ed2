// Human-readable sign-in errors. Auth.js redirects to /signin?error=<Type>[&code=<code>]; the page and the
// server actions show these texts, never a stack trace. Unknown codes fall back to a generic message.
// The query values are the visitor's to choose: they are looked up in a Map, never as object keys, so
// "__proto__", "constructor" and friends are just unknown codes.

/** An OIDC sign-in whose e-mail the IdP did not confirm (email_verified), where that matters. */
export const EMAIL_UNVERIFIED_CODE = "email_unverified";
/**
 * The identity provider sent the person back with an OAuth error instead of a code (lib/auth/idp-error.ts
 * adds it to Auth.js's /signin?error=OAuthCallbackError as `code=idp_<error>`).
 */
export const IDP_ACCESS_DENIED_CODE = "idp_access_denied";
export const IDP_LOGIN_REQUIRED_CODE = "idp_login_required";
export const IDP_UNAVAILABLE_CODE = "idp_temporarily_unavailable";

const messages = new Map<string, string>([
  [
    EMAIL_UNVERIFIED_CODE,
    "Your identity provider did not confirm this e-mail address, so it cannot be used to sign in to the portal account that has it. Verify the address with your identity provider, or ask an administrator for help.",
  ],
  [
    IDP_ACCESS_DENIED_CODE,
    "The sign-in was cancelled or refused at your identity provider, so you are not signed in. Try again, or ask an administrator if you expected to get in.",
  ],
  [IDP_LOGIN_REQUIRED_CODE, "Your identity provider needs you to sign in there first. Please try again."],
  [IDP_UNAVAILABLE_CODE, "Your identity provider is unavailable right now. Please try again in a moment."],
  ["AccessDenied", "Your identity provider did not confirm an e-mail address for your account, or access was denied. Ask an administrator for help."],
  ["OAuthAccountNotLinked", "This e-mail address is already linked to another sign-in. Sign in the way you did before."],
  ["OAuthCallbackError", "The identity provider returned an error. Please try again."],
  ["OAuthSignInError", "Could not start single sign-on. Please try again, or ask an administrator to check the OIDC settings."],
  ["OAuthProfileParseError", "The identity provider's answer could not be read. Ask an administrator to check the OIDC settings."],
  ["CallbackRouteError", "Signing in did not complete. Please try again."],
  ["InvalidCheck", "The sign-in took too long or was started in another tab. Please try again."],
  ["Verification", "That sign-in link is no longer valid. Please start again."],
  ["SessionRequired", "Please sign in to continue."],
  ["MissingCSRF", "The sign-in form expired. Please try again."],
  ["Configuration", "Sign-in is not configured correctly on the server. Ask an administrator to check the logs."],
]);

const GENERIC = "Sign-in failed. Please try again.";

/** The message for an Auth.js error type and optional `code` (credentials errors carry one). */
export function signInErrorMessage(error: unknown, code?: unknown): string | undefined {
  if (typeof error !== "string" || !error) return undefined;
  const byCode = typeof code === "string" ? messages.get(code) : undefined;
  return byCode ?? messages.get(error) ?? GENERIC;
}

/** One query value as a string: the first of repeated values; undefined when absent (own properties only). */
export function queryValue(params: Record<string, string | string[] | undefined>, key: string): string | undefined {
  if (!Object.hasOwn(params, key)) return undefined;
  const v = params[key];
  const first = Array.isArray(v) ? v[0] : v;
  return typeof first === "string" ? first : undefined;
}
