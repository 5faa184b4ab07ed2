// Security headers of every page and route (README: Security), set by proxy.ts with a fresh nonce per request.
//
// Scripts: no 'unsafe-inline'. Next.js reads the nonce from the request's Content-Security-Policy header and
// puts it on its own scripts (framework, page chunks, inline bootstrap); app/layout.tsx puts it on the theme
// script. 'strict-dynamic' lets those scripts load the chunks they need; host sources ('self') are then
// ignored by browsers that understand it and only kept for older ones. Development adds 'unsafe-eval'
// (React rebuilds server error stacks with eval in dev). Styles keep 'unsafe-inline': components set
// style attributes, which a nonce cannot cover, and CSS cannot run script.
// HSTS only in production (a development server on http://localhost must not pin https).

export type SecurityHeaderOptions = {
  /** The request's nonce (base64); undefined for responses that carry no HTML. */
  nonce?: string;
  /** `next dev`. */
  development: boolean;
  /** NODE_ENV=production: adds Strict-Transport-Security. */
  production: boolean;
};

/** A fresh, unguessable nonce: 128 random bits, base64. */
export function newNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}

export function contentSecurityPolicy({ nonce, development }: Pick<SecurityHeaderOptions, "nonce" | "development">): string {
  const script = ["'self'", ...(nonce ? [`'nonce-${nonce}'`, "'strict-dynamic'"] : []), ...(development ? ["'unsafe-eval'"] : [])];
  return [
    "default-src 'self'",
    `script-src ${script.join(" ")}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** Two years, subdomains included (no preload: that is an operator's decision). */
export const HSTS = "max-age=63072000; includeSubDomains";

export function securityHeaders(opts: SecurityHeaderOptions): Record<string, string> {
  return {
    "Content-Security-Policy": contentSecurityPolicy(opts),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    ...(opts.production ? { "Strict-Transport-Security": HSTS } : {}),
  };
}
