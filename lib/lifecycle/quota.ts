import { formatCpu, formatMemory } from "@/lib/lifecycle/units";

// Quota arithmetic, in one place for the request path, the approval queue (server and browser) and the
// team pages. What a team holds is derived from its live clusters on read (lib/domain/quota.ts).

export type Resources = { clusters: number; cpuMillicores: number; memoryMiB: number };
export type QuotaLimits = Resources & { approvalThresholdPercent: number };

export const NO_RESOURCES: Resources = { clusters: 0, cpuMillicores: 0, memoryMiB: 0 };

export const addResources = (a: Resources, b: Resources): Resources => ({
  clusters: a.clusters + b.clusters,
  cpuMillicores: a.cpuMillicores + b.cpuMillicores,
  memoryMiB: a.memoryMiB + b.memoryMiB,
});

/** Whether `total` stays within every limit; no limits (a team without a quota row) always fits. */
export const fitsWithin = (total: Resources, limits: Resources | null): boolean =>
  !limits || (total.clusters <= limits.clusters && total.cpuMillicores <= limits.cpuMillicores && total.memoryMiB <= limits.memoryMiB);

export type QuotaCheck = { fits: true; needsApproval: boolean; after: Resources } | { fits: false; message: string };

/** Does `request` fit into `limits` given `used`, and does it cross the team's approval threshold? */
export function checkQuota(limits: QuotaLimits, used: Resources, request: Resources): QuotaCheck {
  const after = addResources(used, request);
  const over: string[] = [];
  if (after.clusters > limits.clusters) over.push(`clusters (${used.clusters} of ${limits.clusters} in use)`);
  if (after.cpuMillicores > limits.cpuMillicores)
    over.push(`CPU (${formatCpu(request.cpuMillicores)} requested, ${formatCpu(Math.max(0, limits.cpuMillicores - used.cpuMillicores))} left)`);
  if (after.memoryMiB > limits.memoryMiB)
    over.push(`memory (${formatMemory(request.memoryMiB)} requested, ${formatMemory(Math.max(0, limits.memoryMiB - used.memoryMiB))} left)`);
  if (over.length > 0) return { fits: false, message: `This request exceeds your team's quota for ${over.join(", ")}.` };
  const t = limits.approvalThresholdPercent / 100;
  const needsApproval =
    after.clusters > limits.clusters * t || after.cpuMillicores > limits.cpuMillicores * t || after.memoryMiB > limits.memoryMiB * t;
  return { fits: true, needsApproval, after };
}

export type QuotaImpact = {
  limits: QuotaLimits | null;
  /** What the team's admitted (non-pending) live clusters reserve now. */
  committed: Resources;
  /** committed + this request: what approving this one request leads to. */
  after: Resources;
  /** Whether `after` stays within every limit (always true when the team has no quota row). */
  fits: boolean;
  /** Other requests of the same team waiting in the queue. */
  otherPending: number;
};

/** The quota picture an admin needs to approve one request. */
export function quotaImpact(limits: QuotaLimits | null, committed: Resources, request: Resources, otherPending = 0): QuotaImpact {
  const after = addResources(committed, request);
  return { limits, committed, after, fits: fitsWithin(after, limits), otherPending };
}
