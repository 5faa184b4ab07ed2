// How long the personal token in a downloaded kubeconfig lives (docs/vcluster.md "Kubeconfig"): at most the
// configured maximum (KUBECONFIG_TOKEN_MAX_HOURS) and never past the cluster's end (expiresAt). Pure: the
// download use case, the cluster page's "valid until" and the tests all derive from here.

/** The API server refuses a TokenRequest for less than 10 minutes (spec.expirationSeconds validation). */
export const MIN_TOKEN_SECONDS = 600;
/**
 * A token bound by the cluster's end ends this much earlier: the API server counts expirationSeconds from its own
 * clock, a moment after the portal decided (and the two clocks may differ a little).
 */
export const CLOCK_SLACK_SECONDS = 30;

export type TokenLifetime =
  | {
      ok: true;
      /** TokenRequest spec.expirationSeconds. */
      seconds: number;
      expiresAt: Date;
      /** What cut it short: the configured maximum, or the cluster's end. */
      boundBy: "maximum" | "cluster";
    }
  | {
      ok: false;
      /** The cluster ends too soon for the shortest token an API server issues (or has ended). */
      reason: "cluster-ending" | "cluster-ended";
      clusterExpiresAt: Date;
    };

/**
 * The lifetime of a token issued at `now`: min(maxHours, time left until `clusterExpiresAt` less
 * CLOCK_SLACK_SECONDS), in whole seconds rounded down, so the token never outlives the cluster. A cluster without
 * an end is bound by the maximum only. Refused when less than MIN_TOKEN_SECONDS would be left.
 */
export function tokenLifetime({ now, clusterExpiresAt, maxHours }: { now: Date; clusterExpiresAt: Date | null; maxHours: number }): TokenLifetime {
  if (!Number.isFinite(maxHours) || maxHours <= 0) throw new RangeError(`maxHours must be positive, not ${maxHours}`);
  const maxSeconds = Math.floor(maxHours * 3600);
  const leftSeconds = clusterExpiresAt ? Math.floor((clusterExpiresAt.getTime() - now.getTime()) / 1000) - CLOCK_SLACK_SECONDS : Number.POSITIVE_INFINITY;
  if (clusterExpiresAt && clusterExpiresAt.getTime() <= now.getTime()) return { ok: false, reason: "cluster-ended", clusterExpiresAt };
  const seconds = Math.min(maxSeconds, leftSeconds);
  if (seconds < MIN_TOKEN_SECONDS) return { ok: false, reason: "cluster-ending", clusterExpiresAt: clusterExpiresAt! };
  return { ok: true, seconds, expiresAt: new Date(now.getTime() + seconds * 1000), boundBy: leftSeconds < maxSeconds ? "cluster" : "maximum" };
}

/**
 * The end of a token the API server reported (status.expirationTimestamp), held to what was asked for: an API
 * server may shorten a token (--service-account-max-token-expiration) but the portal never records or promises
 * more than the lifetime it computed.
 */
export function effectiveExpiry(requested: Date, reported: Date | null | undefined): Date {
  if (!reported || Number.isNaN(reported.getTime())) return requested;
  return reported.getTime() < requested.getTime() ? reported : requested;
}

/** A credential's state as the cluster page shows it. */
export function credentialState(c: { expiresAt: Date; revokedAt: Date | null; revocationAppliedAt: Date | null }, now: Date): "active" | "expired" | "revoking" | "revoked" {
  if (c.revokedAt) return c.revocationAppliedAt ? "revoked" : "revoking";
  return c.expiresAt.getTime() <= now.getTime() ? "expired" : "active";
}
