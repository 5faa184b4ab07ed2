import "server-only";
import { AppError } from "@/lib/errors";
import { TokenBucket } from "@/lib/kube/rate-limit";

// Per-person limits on sensitive endpoints (kubeconfig downloads, tokens). In memory per web process:
// enough to stop a runaway script; a fleet of replicas multiplies the allowance.
const buckets = new Map<string, TokenBucket>();

export function enforceRateLimit(scope: string, key: string, perMinute: number, burst: number) {
  const id = `${scope}:${key}`;
  let bucket = buckets.get(id);
  if (!bucket) {
    if (buckets.size > 10_000) buckets.clear();
    bucket = new TokenBucket(perMinute / 60, burst);
    buckets.set(id, bucket);
  }
  if (!bucket.tryTake()) throw new AppError("RATE_LIMITED", "Too many requests in a short time. Wait a minute and try again.");
}
