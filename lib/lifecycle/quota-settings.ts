import { z } from "zod";

// A team's quota as an admin types it: in people's units (cores, GiB), with the bounds the quota dialog, its
// server action and the use case (lib/domain/update-team-quota.ts) all hold it to.

export const QUOTA_BOUNDS = {
  maxClusters: { min: 0, max: 10_000 },
  cpuCores: { min: 0, max: 10_000 },
  memoryGiB: { min: 0, max: 97_656 },
  maxLifetimeHours: { min: 1, max: 8760 },
  approvalThresholdPercent: { min: 1, max: 100 },
} as const;

type Field = keyof typeof QUOTA_BOUNDS;

/** A typed number (form text or a number): one message per field, the first problem found. */
function amount(field: Field, what: string, example: string, whole: boolean) {
  const { min, max } = QUOTA_BOUNDS[field];
  let n = z.number({ error: `${what} must be a number, e.g. ${example}` });
  if (whole) n = n.int({ error: `${what} must be a whole number`, abort: true });
  return z.preprocess(
    (v) => (typeof v === "string" ? (v.trim() === "" ? undefined : Number(v)) : v),
    n.min(min, { error: `${what} must be at least ${min}`, abort: true }).max(max, { error: `${what} must be at most ${max}` }),
  );
}

/** The quota dialog's fields; zod reports every field's problem at once. */
export const ZQuotaSettings = z.object({
  maxClusters: amount("maxClusters", "Clusters", "5", true),
  cpuCores: amount("cpuCores", "CPU", "8 or 0.5", false),
  memoryGiB: amount("memoryGiB", "Memory", "16 or 0.5", false),
  maxLifetimeHours: amount("maxLifetimeHours", "Max lifetime", "72", true),
  approvalThresholdPercent: amount("approvalThresholdPercent", "Approval threshold", "80", true),
});
export type TQuotaSettings = z.output<typeof ZQuotaSettings>;

/** The dialog's values in the units the quota is stored in (millicores, MiB). */
export const quotaFromSettings = ({ cpuCores, memoryGiB, ...rest }: TQuotaSettings) => ({
  ...rest,
  cpuMillicores: Math.round(cpuCores * 1000),
  memoryMiB: Math.round(memoryGiB * 1024),
});
