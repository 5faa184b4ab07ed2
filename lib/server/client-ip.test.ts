import { afterEach, describe, expect, it, vi } from "vitest";

const configured = process.env.TRUSTED_PROXIES;
afterEach(() => {
  if (configured === undefined) delete process.env.TRUSTED_PROXIES;
  else process.env.TRUSTED_PROXIES = configured;
});

async function withProxies(spec: string | undefined) {
  if (spec === undefined) delete process.env.TRUSTED_PROXIES;
  else process.env.TRUSTED_PROXIES = spec;
  vi.resetModules(); // env() is read once per module instance
  return import("./client-ip");
}
const xff = (v: string) => new Headers({ "x-forwarded-for": v, "x-real-ip": "6.6.6.6" });

describe("clientIp and rateLimitKeyFor (audit IP and failed-token limiter share them)", () => {
  it("by default trust no proxy: the audit records the rightmost hop and every client shares one bucket", async () => {
    const { clientIp, rateLimitKeyFor, UNVERIFIED_CLIENTS } = await withProxies(undefined);
    expect(clientIp(xff("1.2.3.4, 198.51.100.7"))).toBe("198.51.100.7");
    expect(clientIp(new Headers({ "x-real-ip": "6.6.6.6" }))).toBeUndefined(); // X-Real-IP is never believed
    expect(rateLimitKeyFor(clientIp(xff("198.51.100.7")))).toBe(UNVERIFIED_CLIENTS);
    expect(rateLimitKeyFor(clientIp(xff("198.51.100.8")))).toBe(UNVERIFIED_CLIENTS);
  });

  it("through configured proxies: the client, keyed on its own address", async () => {
    const { clientIp, rateLimitKeyFor, UNVERIFIED_CLIENTS } = await withProxies("10.0.0.0/8");
    const ip = clientIp(xff("9.9.9.9, 203.0.113.5, 10.0.0.2"));
    expect(ip).toBe("203.0.113.5");
    expect(rateLimitKeyFor(ip)).toBe("203.0.113.5");
    expect(rateLimitKeyFor(clientIp(xff("203.0.113.5, junk, 10.0.0.2")))).toBe(UNVERIFIED_CLIENTS);
  });
});
