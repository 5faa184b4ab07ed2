import { type Resource, amountsIn, withUnit } from "@/lib/lifecycle/units";

// Quota arithmetic and the words for it, in one place for the request path, the approval queue (server and
// browser), the team pages and home. What a team holds is derived from its live clusters on read
// (lib/domain/quota.ts).

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

/**
 * What a team's live clusters hold, in the two words every page uses: **in use** = clusters an admin does
 * not have to decide on any more (provisioning, ready, sleeping, failed, being deleted); **waiting** = requests
 * waiting for approval. Both count against the quota, so two waiting requests cannot take the same last slot.
 */
export type TeamUsage = { inUse: Resources; pending: Resources };

export const NO_USAGE: TeamUsage = { inUse: NO_RESOURCES, pending: NO_RESOURCES };

/** In use and waiting together: what a new request is checked against. */
export const reservedBy = (usage: TeamUsage): Resources => addResources(usage.inUse, usage.pending);

/** One resource of a team's quota: in use, waiting for approval, and the limit (null: no quota set). */
export type QuotaLine = { inUse: number; pending: number; limit: number | null };

/** A line of a team that has a quota. */
export type LimitedQuotaLine = QuotaLine & { limit: number };

/** The quota vocabulary, per resource: what every page and the approval queue show. */
export function quotaLines(usage: TeamUsage, limits: Resources): Record<Resource, LimitedQuotaLine>;
export function quotaLines(usage: TeamUsage, limits: Resources | null): Record<Resource, QuotaLine>;
export function quotaLines(usage: TeamUsage, limits: Resources | null): Record<Resource, QuotaLine> {
  const line = (r: Resource): QuotaLine => ({ inUse: usage.inUse[r], pending: usage.pending[r], limit: limits ? limits[r] : null });
  return { clusters: line("clusters"), cpuMillicores: line("cpuMillicores"), memoryMiB: line("memoryMiB") };
}

const amounts = (resource: Resource, line: QuotaLine) => amountsIn(resource, line.limit ?? line.inUse + line.pending);

/** "(this request)" when the request is all that waits, "(this request: 2)" when others wait too. */
function thisRequestNote(n: (v: number) => string, pending: number, thisRequest: number | undefined): string {
  if (!thisRequest) return "";
  return thisRequest === pending ? " (this request)" : ` (this request: ${n(thisRequest)})`;
}

/**
 * The short form beside a meter: "2 in use + 1 waiting / 5", "0 in use / 16 GiB", "2 in use / 8 CPU".
 * `thisRequest` (a part of `pending`) names the request an admin is deciding on.
 */
export function usageLabel(resource: Resource, line: QuotaLine, thisRequest?: number): string {
  const { number, unit } = amounts(resource, line);
  // Without a limit to carry the unit, each amount carries it.
  const n = line.limit === null ? (v: number) => withUnit(number(v), unit) : number;
  const waiting = line.pending > 0 ? ` + ${n(line.pending)} waiting${thisRequestNote(n, line.pending, thisRequest)}` : "";
  return `${n(line.inUse)} in use${waiting}${line.limit === null ? "" : ` / ${withUnit(n(line.limit), unit)}`}`;
}

/** The same in words, for screen readers: "2 of 8 CPU in use, 1 more waiting for approval". */
export function usageWords(resource: Resource, line: QuotaLine, thisRequest?: number): string {
  const { number: n, unit } = amounts(resource, line);
  const used = line.limit === null ? `${withUnit(n(line.inUse), unit)} in use, no limit set` : `${n(line.inUse)} of ${withUnit(n(line.limit), unit)} in use`;
  const waiting = line.pending > 0 ? `, ${n(line.pending)} more waiting for approval${thisRequestNote(n, line.pending, thisRequest)}` : "";
  return used + waiting;
}

export type QuotaCheck = { fits: true; needsApproval: boolean; after: Resources } | { fits: false; message: string };

/** "1 GiB requested, 0 GiB left": both in the request's unit. */
function requestedAndLeft(resource: Resource, request: number, left: number): string {
  const { number: n, unit } = amountsIn(resource, Math.max(request, left));
  return `${withUnit(n(request), unit)} requested, ${withUnit(n(left), unit)} left`;
}

/** Does `request` fit into `limits` given what the team holds, and does it cross the team's approval threshold? */
export function checkQuota(limits: QuotaLimits, usage: TeamUsage, request: Resources): QuotaCheck {
  const held = reservedBy(usage);
  const after = addResources(held, request);
  const over: string[] = [];
  if (after.clusters > limits.clusters) over.push(`clusters (${usageWords("clusters", quotaLines(usage, limits).clusters)})`);
  if (after.cpuMillicores > limits.cpuMillicores)
    over.push(`CPU (${requestedAndLeft("cpuMillicores", request.cpuMillicores, Math.max(0, limits.cpuMillicores - held.cpuMillicores))})`);
  if (after.memoryMiB > limits.memoryMiB) over.push(`memory (${requestedAndLeft("memoryMiB", request.memoryMiB, Math.max(0, limits.memoryMiB - held.memoryMiB))})`);
  if (over.length > 0) return { fits: false, message: `This request exceeds your team's quota for ${over.join(", ")}.` };
  const t = limits.approvalThresholdPercent / 100;
  const needsApproval =
    after.clusters > limits.clusters * t || after.cpuMillicores > limits.cpuMillicores * t || after.memoryMiB > limits.memoryMiB * t;
  return { fits: true, needsApproval, after };
}

export type QuotaImpact = {
  limits: QuotaLimits | null;
  /** What the team holds now; `pending` includes the request under review. */
  usage: TeamUsage;
  /** In use once this one request is approved. */
  afterApproval: Resources;
  /** Whether `afterApproval` stays within every limit (always true when the team has no quota row). */
  fits: boolean;
  /** Other requests of the same team waiting for approval. */
  otherPending: number;
};

/** The quota picture an admin needs to approve one request (`request` is one of `usage.pending`). */
export function quotaImpact(limits: QuotaLimits | null, usage: TeamUsage, request: Resources): QuotaImpact {
  const afterApproval = addResources(usage.inUse, request);
  return { limits, usage, afterApproval, fits: fitsWithin(afterApproval, limits), otherPending: Math.max(0, usage.pending.clusters - request.clusters) };
}
