// Where to go after signing in. Only same-origin paths are accepted, so `?callbackUrl=` cannot be
// turned into an open redirect ("//evil.example", "/\\evil.example", "https://evil.example" → "/").

export function safeCallbackUrl(raw: unknown, fallback = "/"): string {
  if (typeof raw !== "string" || raw.length === 0 || raw.length > 2048) return fallback;
  if (!raw.startsWith("/") || raw.startsWith("//") || raw.startsWith("/\\")) return fallback;
  // Control characters (tab, newline) are stripped by URL parsers and could re-form "//".
  if (/[\u0000-\u001f\u007f]/.test(raw)) return fallback;
  try {
    const base = "http://portal.invalid";
    const url = new URL(raw, base);
    if (url.origin !== base) return fallback;
    // Never bounce back to the sign-in page itself.
    if (url.pathname === "/signin") return fallback;
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return fallback;
  }
}

/** The request header proxy.ts sets to the page a request is for, so a sign-in redirect can come back to it. */
export const REQUESTED_PATH_HEADER = "x-requested-path";

/** A request's page as a callback: its path and query, without the router's own `_rsc` cache-buster. */
export function requestedPath(url: URL): string {
  const query = new URLSearchParams(url.search);
  query.delete("_rsc");
  const search = query.toString();
  return search ? `${url.pathname}?${search}` : url.pathname;
}

/** The sign-in page, told where to return afterwards (only when that is somewhere other than home). */
export function signInPath(requested: unknown): string {
  const callbackUrl = safeCallbackUrl(requested);
  return callbackUrl === "/" ? "/signin" : `/signin?${new URLSearchParams({ callbackUrl })}`;
}
