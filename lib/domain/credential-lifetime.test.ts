import { describe, expect, it } from "vitest";
import { CLOCK_SLACK_SECONDS, MIN_TOKEN_SECONDS, credentialState, effectiveExpiry, tokenLifetime } from "./credential-lifetime";

const now = new Date("2026-12-01T10:00:00.000Z");
const at = (iso: string) => new Date(iso);
const hours = (h: number) => new Date(now.getTime() + h * 3600_000);
const seconds = (s: number) => new Date(now.getTime() + s * 1000);

describe("tokenLifetime", () => {
  it("is the configured maximum when the cluster lives longer", () => {
    expect(tokenLifetime({ now, clusterExpiresAt: hours(72), maxHours: 24 })).toEqual({ ok: true, seconds: 24 * 3600, expiresAt: hours(24), boundBy: "maximum" });
  });

  it("is the maximum for a cluster that never expires", () => {
    expect(tokenLifetime({ now, clusterExpiresAt: null, maxHours: 8 })).toEqual({ ok: true, seconds: 8 * 3600, expiresAt: hours(8), boundBy: "maximum" });
  });

  it("ends with the cluster (a little before: the API server's clock starts a moment later) when the cluster ends first", () => {
    const r = tokenLifetime({ now, clusterExpiresAt: hours(2), maxHours: 24 });
    expect(r).toEqual({ ok: true, seconds: 7200 - CLOCK_SLACK_SECONDS, expiresAt: seconds(7200 - CLOCK_SLACK_SECONDS), boundBy: "cluster" });
  });

  it("a cluster ending right at the maximum bounds the token; the maximum wins once the cluster outlives it by the slack", () => {
    expect(tokenLifetime({ now, clusterExpiresAt: hours(24), maxHours: 24 })).toMatchObject({ seconds: 86_400 - CLOCK_SLACK_SECONDS, boundBy: "cluster" });
    expect(tokenLifetime({ now, clusterExpiresAt: seconds(86_400 + CLOCK_SLACK_SECONDS), maxHours: 24 })).toMatchObject({ seconds: 86_400, boundBy: "maximum" });
  });

  it("rounds a fractional remainder down, so the token never outlives the cluster", () => {
    const end = at("2026-12-01T11:00:00.999Z");
    const r = tokenLifetime({ now, clusterExpiresAt: end, maxHours: 24 });
    expect(r).toMatchObject({ ok: true, seconds: 3600 - CLOCK_SLACK_SECONDS });
    if (r.ok) expect(r.expiresAt.getTime()).toBeLessThan(end.getTime());
  });

  it("accepts exactly the API server's minimum and refuses anything shorter", () => {
    expect(tokenLifetime({ now, clusterExpiresAt: seconds(MIN_TOKEN_SECONDS + CLOCK_SLACK_SECONDS), maxHours: 24 })).toMatchObject({ ok: true, seconds: 600 });
    const short = seconds(MIN_TOKEN_SECONDS + CLOCK_SLACK_SECONDS - 1);
    expect(tokenLifetime({ now, clusterExpiresAt: short, maxHours: 24 })).toEqual({ ok: false, reason: "cluster-ending", clusterExpiresAt: short });
    expect(tokenLifetime({ now, clusterExpiresAt: seconds(5), maxHours: 24 })).toMatchObject({ ok: false, reason: "cluster-ending" });
  });

  it("refuses once the cluster has ended", () => {
    expect(tokenLifetime({ now, clusterExpiresAt: now, maxHours: 24 })).toMatchObject({ ok: false, reason: "cluster-ended" });
    expect(tokenLifetime({ now, clusterExpiresAt: hours(-1), maxHours: 24 })).toMatchObject({ ok: false, reason: "cluster-ended" });
  });

  it("never exceeds either bound, whatever the inputs", () => {
    for (const max of [1, 2, 24, 720]) {
      for (const left of [0.2, 0.5, 1, 3, 23.99, 24, 100, 1000]) {
        const r = tokenLifetime({ now, clusterExpiresAt: hours(left), maxHours: max });
        if (!r.ok) continue;
        expect(r.seconds).toBeLessThanOrEqual(max * 3600);
        expect(r.expiresAt.getTime()).toBeLessThan(hours(left).getTime());
        expect(r.seconds).toBeGreaterThanOrEqual(MIN_TOKEN_SECONDS);
        expect(r.expiresAt.getTime()).toBe(now.getTime() + r.seconds * 1000);
      }
    }
  });

  it("rejects a non-positive maximum (configuration error)", () => {
    expect(() => tokenLifetime({ now, clusterExpiresAt: null, maxHours: 0 })).toThrow(RangeError);
  });
});

describe("effectiveExpiry", () => {
  it("takes the API server's shorter answer, never a longer one", () => {
    expect(effectiveExpiry(hours(24), hours(1))).toEqual(hours(1));
    expect(effectiveExpiry(hours(2), hours(24 * 365))).toEqual(hours(2));
    expect(effectiveExpiry(hours(2), null)).toEqual(hours(2));
    expect(effectiveExpiry(hours(2), new Date("nope"))).toEqual(hours(2));
  });
});

describe("credentialState", () => {
  it("active, expired, revoking (recorded, not yet applied in the cluster), revoked", () => {
    expect(credentialState({ expiresAt: hours(1), revokedAt: null, revocationAppliedAt: null }, now)).toBe("active");
    expect(credentialState({ expiresAt: now, revokedAt: null, revocationAppliedAt: null }, now)).toBe("expired");
    expect(credentialState({ expiresAt: hours(1), revokedAt: now, revocationAppliedAt: null }, now)).toBe("revoking");
    expect(credentialState({ expiresAt: hours(-1), revokedAt: now, revocationAppliedAt: now }, now)).toBe("revoked");
  });
});
