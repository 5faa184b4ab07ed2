// Security headers: the Content-Security-Policy (with a nonce per request) and the others are set by
// proxy.ts from lib/security/headers.ts for pages and routes. The static ones below also cover what the
// proxy skips (build assets under /_next/static); the proxy sets the same values where both apply.
const staticSecurityHeaders = () => [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "X-Frame-Options", value: "DENY" },
  // Production only (keep in step with HSTS in lib/security/headers.ts).
  ...(process.env.NODE_ENV === "production" ? [{ key: "Strict-Transport-Security", value: "max-age=63072000; includeSubDomains" }] : []),
];

/** @type {import('next').NextConfig} */
const nextConfig = {
  // A second dev server in the same checkout (the e2e tier beside `npm start`) needs its own build dir.
  distDir: process.env.NEXT_DIST_DIR ?? ".next",
  // The container image runs the standalone server (node server.js, no next CLI; see Dockerfile and
  // scripts/image/assemble.ts). Only that build asks for it: `next start` (npm start, e2e) warns on it.
  output: process.env.VCP_STANDALONE === "1" ? "standalone" : undefined,
  reactStrictMode: true,
  poweredByHeader: false,
  // Server-only packages that must not be bundled (native/wasm or dynamic requires).
  serverExternalPackages: ["@kubernetes/client-node", "pino", "prom-client", "pg", "@prisma/adapter-pg"],
  async headers() {
    return [{ source: "/:path*", headers: staticSecurityHeaders() }];
  },
};

export default nextConfig;
