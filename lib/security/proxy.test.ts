import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { config, proxy } from "@/proxy";

describe("proxy.ts", () => {
  it("gives each request its own nonce: in the response's CSP, and in the request's headers for Next.js and the layout", () => {
    const a = proxy(new NextRequest("http://localhost:3000/clusters"));
    const b = proxy(new NextRequest("http://localhost:3000/clusters"));
    const nonce = a.headers.get("x-middleware-request-x-nonce");
    expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(b.headers.get("x-middleware-request-x-nonce")).not.toBe(nonce);
    const csp = a.headers.get("content-security-policy")!;
    expect(csp).toContain(`script-src 'self' 'nonce-${nonce}' 'strict-dynamic'`);
    expect(csp).not.toContain("'unsafe-inline' 'nonce");
    expect(a.headers.get("x-middleware-request-content-security-policy")).toBe(csp);
    expect(a.headers.get("x-middleware-next")).toBe("1");
    expect(a.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("runs on pages and routes, not on build assets", () => {
    const source = config.matcher[0]!.source;
    const re = new RegExp(`^${source}$`);
    for (const path of ["/", "/clusters/abc", "/signin", "/api/v1/clusters"]) expect(re.test(path), path).toBe(true);
    for (const path of ["/_next/static/chunks/main.js", "/_next/image", "/favicon.ico"]) expect(re.test(path), path).toBe(false);
  });
});
