import "server-only";
import { AppError } from "@/lib/errors";
import { KeyedRateLimiter } from "@/lib/server/keyed-rate-limiter";

// Per-person / per-address limits on sensitive endpoints (kubeconfig downloads, failed API tokens). In memory
// per web process: enough to stop a runaway script; a fleet of replicas multiplies the allowance. Memory is
// bounded per scope (lib/server/keyed-rate-limiter.ts).
const limiters = new Map<string, KeyedRateLimiter>();

export function enforceRateLimit(scope: string, key: string, perMinute: number, burst: number) {
  const id = `${scope}:${perMinute}:${burst}`;
  let limiter = limiters.get(id);
  if (!limiter) {
    limiter = new KeyedRateLimiter({ perMinute, burst });
    limiters.set(id, limiter);
  }
  if (!limiter.tryTake(key)) throw new AppError("RATE_LIMITED", "Too many requests in a short time. Wait a minute and try again.");
}
