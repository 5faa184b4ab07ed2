// Retry timing for the reconciler: exponential backoff with jitter, capped.
//
// delay(n) = min(cap, base · 2^(n−1)) scaled by a random factor in [1 − jitter, 1]. The upper half of the
// window keeps the growth visible (attempt 5 always waits longer than attempt 2 when jitter ≤ 0.5), the
// random part spreads retries of many clusters that failed together (an API server outage) so they do
// not return in lock-step.

export type BackoffOptions = {
  /** Delay of the first retry, before jitter. */
  baseMs?: number;
  /** Upper bound of any delay. */
  capMs?: number;
  /** Share of the delay that is random, 0..1 (0.5 = "equal jitter"). */
  jitter?: number;
  /** Source of randomness in [0, 1); injectable for tests. */
  random?: () => number;
};

export const DEFAULT_BACKOFF = { baseMs: 2_000, capMs: 5 * 60_000, jitter: 0.5 } as const;

/** Delay before retry number `attempt` (1 = the first retry after the first failure). */
export function backoffMs(attempt: number, opts: BackoffOptions = {}): number {
  const base = opts.baseMs ?? DEFAULT_BACKOFF.baseMs;
  const cap = opts.capMs ?? DEFAULT_BACKOFF.capMs;
  const jitter = Math.min(1, Math.max(0, opts.jitter ?? DEFAULT_BACKOFF.jitter));
  const random = opts.random ?? Math.random;
  const n = Math.max(1, Math.floor(attempt));
  // 2^(n-1) overflows to Infinity for large n; min() with the cap handles it.
  const ceiling = Math.min(cap, base * 2 ** Math.min(n - 1, 1_000));
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.round(ceiling * (1 - jitter * r));
}

/** The window [min, max] backoffMs(attempt) falls into (for docs, tests and "retrying in …" texts). */
export function backoffWindow(attempt: number, opts: BackoffOptions = {}): { minMs: number; maxMs: number } {
  return {
    minMs: backoffMs(attempt, { ...opts, random: () => 1 }),
    maxMs: backoffMs(attempt, { ...opts, random: () => 0 }),
  };
}

/** A small random spread for polling requeues (readiness waits), so many clusters do not poll in step. */
export function spread(ms: number, fraction = 0.2, random: () => number = Math.random): number {
  return Math.round(ms * (1 - fraction / 2 + fraction * random()));
}
