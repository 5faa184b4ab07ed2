import { describe, expect, it } from "vitest";
import { bearerTokenMatches, cachedFor, scrapeResponse } from "./scrape";

describe("bearerTokenMatches", () => {
  const token = "0123456789abcdef0123";
  it("accepts exactly `Bearer <token>` (scheme case-insensitive)", () => {
    expect(bearerTokenMatches(`Bearer ${token}`, token)).toBe(true);
    expect(bearerTokenMatches(`bearer ${token}`, token)).toBe(true);
  });
  it("refuses anything else, including prefixes, extensions and other schemes", () => {
    for (const h of [null, undefined, "", "Bearer", "Bearer ", token, `Basic ${token}`, `Bearer ${token}0`, `Bearer ${token.slice(1)}`, `Bearer ${token} x`]) {
      expect(bearerTokenMatches(h, token), String(h)).toBe(false);
    }
  });
});

describe("cachedFor", () => {
  it("loads once per TTL, shares a load in flight, and does not keep failures", async () => {
    let t = 0;
    let loads = 0;
    let fail = false;
    const get = cachedFor(
      5_000,
      async () => {
        loads++;
        if (fail) throw new Error("db down");
        return `value ${loads}`;
      },
      () => t,
    );
    const [a, b] = await Promise.all([get(), get()]);
    expect([a, b, loads]).toEqual(["value 1", "value 1", 1]);
    t = 4_999;
    expect(await get()).toBe("value 1");
    t = 5_000;
    expect(await get()).toBe("value 2");
    t = 20_000;
    fail = true;
    await expect(get()).rejects.toThrow("db down");
    fail = false;
    expect(await get()).toBe("value 4"); // the failure was not cached
    expect(loads).toBe(4);
  });
});

describe("scrapeResponse", () => {
  const sources = (token: string | undefined) => ({
    token,
    contentType: "text/plain; version=0.0.4; charset=utf-8",
    processMetrics: async () => "own 1\n",
    fleetMetrics: async () => "fleet 2\n",
  });
  const req = (authorization?: string) => new Request("http://x/api/metrics", { headers: authorization ? { authorization } : {} });

  it("is off (404) without a configured token", async () => {
    expect((await scrapeResponse(req("Bearer anything-at-all-here"), sources(undefined))).status).toBe(404);
  });
  it("wants the token, then serves both sources", async () => {
    const token = "a-token-of-sixteen-chars";
    expect((await scrapeResponse(req(), sources(token))).status).toBe(401);
    const ok = await scrapeResponse(req(`Bearer ${token}`), sources(token));
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe("own 1\nfleet 2\n");
    expect(ok.headers.get("cache-control")).toBe("no-store");
  });
});
