// Next.js 16 Proxy (formerly middleware): a fresh CSP nonce for every request, and the security headers
// (lib/security/headers.ts). Next.js takes the nonce from the request's Content-Security-Policy header and
// adds it to the scripts it renders; app/layout.tsx reads `x-nonce` for its own inline script. It also passes
// on the requested page (REQUESTED_PATH_HEADER), so the portal's sign-in redirect can come back to it.
import { NextResponse, type NextRequest } from "next/server";
import { REQUESTED_PATH_HEADER, requestedPath } from "@/lib/auth/callback-url";
import { newNonce, securityHeaders } from "@/lib/security/headers";

export function proxy(request: NextRequest) {
  const nonce = newNonce();
  const headers = securityHeaders({ nonce, development: process.env.NODE_ENV === "development", production: process.env.NODE_ENV === "production" });

  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set(REQUESTED_PATH_HEADER, requestedPath(request.nextUrl));
  requestHeaders.set("Content-Security-Policy", headers["Content-Security-Policy"]!);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  for (const [key, value] of Object.entries(headers)) response.headers.set(key, value);
  return response;
}

export const config = {
  matcher: [
    // Everything but build assets (static files carry next.config.mjs's headers). Prefetches of pages are
    // skipped: their payload is not a document, and the page itself gets a nonce when it is rendered.
    {
      source: "/((?!_next/static|_next/image|favicon.ico).*)",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
