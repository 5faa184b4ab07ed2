import { describe, expect, it } from "vitest";
import { backoffMs, backoffWindow, DEFAULT_BACKOFF, spread } from "./backoff";

describe("backoffMs", () => {
  it("doubles from the base and is capped at 5 minutes", () => {
    const noJitter = { jitter: 0 };
    expect([1, 2, 3, 4, 5].map((n) => backoffMs(n, noJitter))).toEqual([2_000, 4_000, 8_000, 16_000, 32_000]);
    expect(backoffMs(9, noJitter)).toBe(300_000);
    expect(backoffMs(50, noJitter)).toBe(300_000);
    expect(backoffMs(10_000, noJitter)).toBe(DEFAULT_BACKOFF.capMs);
  });

  it("treats attempt 0 and negatives as the first retry", () => {
    expect(backoffMs(0, { jitter: 0 })).toBe(2_000);
    expect(backoffMs(-3, { jitter: 0 })).toBe(2_000);
  });

  it("jitters within [ceiling·(1−jitter), ceiling]", () => {
    expect(backoffMs(3, { random: () => 0 })).toBe(8_000);
    expect(backoffMs(3, { random: () => 0.999999 })).toBe(4_000);
    expect(backoffMs(3, { random: () => 0.5 })).toBe(6_000);
    for (let n = 1; n <= 12; n++) {
      const { minMs, maxMs } = backoffWindow(n);
      for (let i = 0; i < 200; i++) {
        const d = backoffMs(n);
        expect(d).toBeGreaterThanOrEqual(minMs);
        expect(d).toBeLessThanOrEqual(maxMs);
      }
    }
  });

  it("spreads retries of clusters that failed together", () => {
    const delays = new Set(Array.from({ length: 100 }, () => backoffMs(4)));
    expect(delays.size).toBeGreaterThan(50);
  });

  it("keeps growing despite jitter: the next window starts where the previous one ends", () => {
    for (let n = 1; n < 8; n++) expect(backoffWindow(n + 1).minMs).toBeGreaterThanOrEqual(backoffWindow(n).maxMs);
  });

  it("honours custom base, cap and clamps out-of-range randomness", () => {
    expect(backoffMs(1, { baseMs: 100, jitter: 0 })).toBe(100);
    expect(backoffMs(20, { baseMs: 100, capMs: 1_000, jitter: 0 })).toBe(1_000);
    expect(backoffMs(1, { random: () => 7 })).toBe(1_000);
    expect(backoffMs(1, { random: () => -1 })).toBe(2_000);
  });
});

describe("spread", () => {
  it("stays within ±10% by default", () => {
    expect(spread(1_500, 0.2, () => 0)).toBe(1_350);
    expect(spread(1_500, 0.2, () => 1)).toBe(1_650);
    for (let i = 0; i < 100; i++) {
      const v = spread(1_500);
      expect(v).toBeGreaterThanOrEqual(1_350);
      expect(v).toBeLessThanOrEqual(1_650);
    }
  });
});
