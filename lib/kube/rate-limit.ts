// Client-side token bucket (like client-go's flowcontrol): `qps` tokens per second, at most `burst` saved up.
// Each request takes one token; when none is left it reserves the next one and waits for it, so callers are
// served in arrival order and the long-run rate never exceeds qps. qps <= 0 disables limiting.

export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    readonly qps: number,
    readonly burst: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.burst = Math.max(1, Math.floor(burst));
    this.tokens = this.burst;
    this.last = this.now();
  }

  /** Takes a token only if one is available now (for callers that refuse rather than wait). */
  tryTake(): boolean {
    if (this.qps <= 0) return true;
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) * this.qps) / 1000);
    this.last = t;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Takes a token now and returns how many milliseconds the caller must wait before using it. */
  reserve(): number {
    if (this.qps <= 0) return 0;
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) * this.qps) / 1000);
    this.last = t;
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : (-this.tokens * 1000) / this.qps;
  }

  /** Resolves when the caller may send; returns the milliseconds waited. */
  async acquire(signal?: AbortSignal): Promise<number> {
    const wait = this.reserve();
    if (wait <= 0) return 0;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      }, wait);
      const onAbort = () => {
        clearTimeout(timer);
        this.tokens += 1; // give the reservation back
        reject(signal?.reason ?? new Error("aborted"));
      };
      signal?.addEventListener("abort", onAbort, { once: true });
    });
    return wait;
  }
}
