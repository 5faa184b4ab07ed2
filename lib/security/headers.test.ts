import { describe, expect, it } from "vitest";
import { HSTS, contentSecurityPolicy, newNonce, securityHeaders } from "./headers";

const directives = (csp: string) => new Map(csp.split("; ").map((d) => [d.split(" ")[0]!, d.split(" ").slice(1)]));

describe("security headers", () => {
  it("production: scripts only by nonce (strict-dynamic), never 'unsafe-inline' or 'unsafe-eval'; HSTS", () => {
    const h = securityHeaders({ nonce: "abc123==", development: false, production: true });
    const csp = directives(h["Content-Security-Policy"]!);
    expect(csp.get("script-src")).toEqual(["'self'", "'nonce-abc123=='", "'strict-dynamic'"]);
    expect(h["Content-Security-Policy"]).not.toMatch(/script-src[^;]*'unsafe-(inline|eval)'/);
    expect(csp.get("object-src")).toEqual(["'none'"]);
    expect(csp.get("base-uri")).toEqual(["'self'"]);
    expect(csp.get("frame-ancestors")).toEqual(["'none'"]);
    expect(csp.get("form-action")).toEqual(["'self'"]);
    expect(csp.get("default-src")).toEqual(["'self'"]);
    expect(h["Strict-Transport-Security"]).toBe(HSTS);
    expect(HSTS).toMatch(/^max-age=\d{8,}; includeSubDomains$/);
    expect(h).toMatchObject({ "X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Referrer-Policy": "strict-origin-when-cross-origin" });
  });

  it("development: the nonce plus what next dev needs ('unsafe-eval'), and no HSTS on http://localhost", () => {
    const h = securityHeaders({ nonce: "n", development: true, production: false });
    expect(directives(h["Content-Security-Policy"]!).get("script-src")).toEqual(["'self'", "'nonce-n'", "'strict-dynamic'", "'unsafe-eval'"]);
    expect(h).not.toHaveProperty("Strict-Transport-Security");
    expect(h["Content-Security-Policy"]).toContain("base-uri 'self'");
  });

  it("without a nonce, no inline script is allowed at all", () => {
    expect(directives(contentSecurityPolicy({ development: false })).get("script-src")).toEqual(["'self'"]);
  });

  it("makes a fresh 128-bit nonce each time", () => {
    const a = newNonce();
    expect(Buffer.from(a, "base64")).toHaveLength(16);
    expect(newNonce()).not.toBe(a);
  });
});
