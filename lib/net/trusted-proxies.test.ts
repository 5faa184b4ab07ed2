import { describe, expect, it } from "vitest";
import { NO_TRUSTED_PROXIES, clientAddressFrom, normalizeIp, parseTrustedProxies } from "./trusted-proxies";

describe("normalizeIp", () => {
  it("reads the forms proxies write and refuses what is not an address", () => {
    expect(normalizeIp(" 203.0.113.7 ")).toBe("203.0.113.7");
    expect(normalizeIp("203.0.113.7:51234")).toBe("203.0.113.7");
    expect(normalizeIp("[2001:DB8::1]:443")).toBe("2001:db8::1");
    expect(normalizeIp("2001:db8::1")).toBe("2001:db8::1");
    expect(normalizeIp("::ffff:10.0.0.1")).toBe("10.0.0.1");
    for (const bad of ["", "unknown", "evil.example", "300.1.1.1", "[::1", "_hidden"]) expect(normalizeIp(bad), bad).toBeUndefined();
  });
});

describe("parseTrustedProxies", () => {
  it("accepts addresses and CIDR ranges of both families", () => {
    const p = parseTrustedProxies("10.0.0.0/8, 192.168.1.7,fd00::/8, ::1");
    expect(p.entries).toEqual(["10.0.0.0/8", "192.168.1.7", "fd00::/8", "::1"]);
    expect(["10.255.0.1", "192.168.1.7", "fd00::abcd", "::1", "::ffff:10.1.2.3"].every((ip) => p.has(ip))).toBe(true);
    expect(["11.0.0.1", "192.168.1.8", "fe80::1", "not-an-ip"].some((ip) => p.has(ip))).toBe(false);
    expect(parseTrustedProxies(" , ")).toBe(NO_TRUSTED_PROXIES);
  });
  it("names the bad entry", () => {
    expect(() => parseTrustedProxies("10.0.0.1, lb.internal")).toThrow('"lb.internal" is not an IP address or CIDR range');
    expect(() => parseTrustedProxies("10.0.0.0/40")).toThrow('"10.0.0.0/40" has an invalid prefix length');
    expect(() => parseTrustedProxies("10.0.0.0/8/8")).toThrow(/not an IP address/);
  });
});

describe("clientAddressFrom", () => {
  const proxies = parseTrustedProxies("10.0.0.0/8");

  it("without trusted proxies: never verified; the audit sees the rightmost hop, whatever the client wrote to its left", () => {
    expect(clientAddressFrom("198.51.100.9", NO_TRUSTED_PROXIES)).toEqual({ ip: "198.51.100.9", verified: false });
    expect(clientAddressFrom("1.1.1.1, 2.2.2.2, 198.51.100.9", NO_TRUSTED_PROXIES)).toEqual({ ip: "198.51.100.9", verified: false });
    expect(clientAddressFrom(null, NO_TRUSTED_PROXIES)).toEqual({ ip: undefined, verified: false });
    expect(clientAddressFrom("garbage", NO_TRUSTED_PROXIES)).toEqual({ ip: undefined, verified: false });
  });

  it("with trusted proxies: the first hop from the right that is not a proxy; spoofed hops to its left change nothing", () => {
    expect(clientAddressFrom("203.0.113.5, 10.0.0.2", proxies)).toEqual({ ip: "203.0.113.5", verified: true });
    expect(clientAddressFrom("6.6.6.6, 203.0.113.5, 10.0.0.2", proxies)).toEqual({ ip: "203.0.113.5", verified: true });
    expect(clientAddressFrom("10.9.9.9, 203.0.113.5, 10.1.0.1, 10.0.0.2", proxies)).toEqual({ ip: "203.0.113.5", verified: true });
    // Reached the portal directly (Next.js wrote the socket address): that address is the client.
    expect(clientAddressFrom("203.0.113.5", proxies)).toEqual({ ip: "203.0.113.5", verified: true });
    // Only proxies in the chain: the request started inside; the leftmost is the client.
    expect(clientAddressFrom("10.0.0.7, 10.0.0.2", proxies)).toEqual({ ip: "10.0.0.7", verified: true });
  });

  it("stops at a malformed hop: nobody trusted vouched for the client", () => {
    expect(clientAddressFrom("203.0.113.5, nonsense, 10.0.0.2", proxies)).toEqual({ ip: undefined, verified: false });
    expect(clientAddressFrom("", proxies)).toEqual({ ip: undefined, verified: false });
  });
});
