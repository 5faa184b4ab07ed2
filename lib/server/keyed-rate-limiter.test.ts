import { describe, expect, it } from "vitest";
import { KeyedRateLimiter } from "./keyed-rate-limiter";

const clock = () => {
  const c = { t: 0, now: () => c.t };
  return c;
};

describe("KeyedRateLimiter", () => {
  it("gives each key a burst, then its rate", () => {
    const c = clock();
    const l = new KeyedRateLimiter({ perMinute: 60, burst: 3, now: c.now });
    expect([l.tryTake("a"), l.tryTake("a"), l.tryTake("a"), l.tryTake("a")]).toEqual([true, true, true, false]);
    expect(l.tryTake("b")).toBe(true); // another key is unaffected
    c.t = 1_000; // one token a second
    expect([l.tryTake("a"), l.tryTake("a")]).toEqual([true, false]);
  });

  it("forgets a bucket once it has been idle long enough to be full again, one bucket at a time", () => {
    const c = clock();
    const l = new KeyedRateLimiter({ perMinute: 60, burst: 3, now: c.now }); // full again after 3 s
    l.tryTake("old");
    c.t = 2_000;
    for (let i = 0; i < 4; i++) l.tryTake("busy"); // exhausted
    expect(l.size).toBe(2);
    c.t = 3_000;
    l.tryTake("new");
    expect(l.size).toBe(2); // "old" expired, "busy" kept (idle 1 s only)
    expect(l.tryTake("busy")).toBe(true); // refilled one token in that second...
    expect(l.tryTake("busy")).toBe(false); // ...and is still limited: its state survived
  });

  it("stays within maxKeys by evicting the least recently used bucket, never all of them", () => {
    const c = clock();
    const l = new KeyedRateLimiter({ perMinute: 1, burst: 2, maxKeys: 100, now: c.now });
    expect([l.tryTake("attacker"), l.tryTake("attacker"), l.tryTake("attacker")]).toEqual([true, true, false]);
    l.tryTake("victim");
    l.tryTake("victim");
    for (let i = 0; i < 1_000; i++) {
      c.t += 1;
      l.tryTake(`rotating-${i}`);
      if (i % 50 === 0) {
        // The victim stays recently used, so its (empty) bucket is not the one evicted.
        expect(l.tryTake("victim")).toBe(false);
      }
      expect(l.size).toBeLessThanOrEqual(100);
    }
    expect(l.size).toBe(100);
    expect(l.tryTake("victim")).toBe(false);
    // The attacker's own bucket was the least recently used and went: it starts over, as a new key would.
    expect(l.tryTake("attacker")).toBe(true);
  });
});
