import { TokenBucket } from "@/lib/kube/rate-limit";

// Token buckets per key (a person, an address) with bounded memory: kept in least-recently-used order,
// a bucket is dropped once it has been idle long enough to be full again (forgetting it changes nothing:
// a new bucket starts full), and beyond `maxKeys` the least recently used one goes. No call ever clears
// every bucket at once, so one client cycling through keys cannot reset the others' limits.

export type KeyedRateLimiterOptions = {
  perMinute: number;
  burst: number;
  /** Most buckets kept; default 10,000. */
  maxKeys?: number;
  /** Milliseconds clock (tests). */
  now?: () => number;
};

export class KeyedRateLimiter {
  private readonly buckets = new Map<string, { bucket: TokenBucket; lastUsed: number }>();
  private readonly maxKeys: number;
  private readonly now: () => number;
  /** Idle time after which a bucket is full again. */
  private readonly refillMs: number;

  constructor(private readonly opts: KeyedRateLimiterOptions) {
    this.maxKeys = Math.max(1, opts.maxKeys ?? 10_000);
    this.now = opts.now ?? (() => performance.now());
    this.refillMs = Math.ceil((Math.max(1, Math.floor(opts.burst)) * 60_000) / Math.max(opts.perMinute, 1e-9));
  }

  get size(): number {
    return this.buckets.size;
  }

  /** Takes one token from `key`'s bucket; false when it is empty. */
  tryTake(key: string): boolean {
    const t = this.now();
    this.expire(t);
    let entry = this.buckets.get(key);
    if (entry) {
      this.buckets.delete(key); // re-inserted below: most recently used last
    } else {
      entry = { bucket: new TokenBucket(this.opts.perMinute / 60, this.opts.burst, this.now), lastUsed: t };
    }
    entry.lastUsed = t;
    this.buckets.set(key, entry);
    while (this.buckets.size > this.maxKeys) this.buckets.delete(this.buckets.keys().next().value!);
    return entry.bucket.tryTake();
  }

  /** Drops buckets idle long enough to be full; they sit at the front of the LRU order. */
  private expire(t: number): void {
    for (const [key, entry] of this.buckets) {
      if (t - entry.lastUsed < this.refillMs) break;
      this.buckets.delete(key);
    }
  }
}
