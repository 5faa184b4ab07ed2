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
