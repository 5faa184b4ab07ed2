import { can } from "@/lib/authz/permissions";
import { LIVE_PHASES } from "@/lib/domain/cluster-phase";
import type { DomainContext } from "@/lib/domain/context";
import type { QuotaLimits, Resources } from "@/lib/domain/quota";
import { forbidden } from "@/lib/errors";

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

/** Pure: the quota picture an admin needs to approve one request. */
export function quotaImpact(limits: QuotaLimits | null, committed: Resources, request: Resources, otherPending = 0): QuotaImpact {
  const after = {
    clusters: committed.clusters + request.clusters,
    cpuMillicores: committed.cpuMillicores + request.cpuMillicores,
    memoryMiB: committed.memoryMiB + request.memoryMiB,
  };
  const fits = !limits || (after.clusters <= limits.clusters && after.cpuMillicores <= limits.cpuMillicores && after.memoryMiB <= limits.memoryMiB);
  return { limits, committed, after, fits, otherPending };
}

/** The queue shows at most this many (oldest first); deciding them brings the next ones up. */
export const PENDING_APPROVALS_LIMIT = 200;

/**
 * The approval queue, oldest first, with each request's quota impact. Pending requests already hold a
 * reservation, so the impact is computed against the team's *admitted* clusters: "after approval" is
 * what running this one request adds to what already runs.
 */
export async function listPendingApprovals(ctx: DomainContext) {
  if (!can(ctx.actor, "approval.decide")) throw forbidden("Only admins can see the approval queue.");
  const pending = await ctx.db.virtualCluster.findMany({
    where: { phase: "PENDING_APPROVAL" },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    take: PENDING_APPROVALS_LIMIT,
    select: {
      id: true,
      name: true,
      createdAt: true,
      parameters: true,
      cpuMillicores: true,
      memoryMiB: true,
      teamId: true,
      team: { select: { slug: true, name: true } },
      owner: { select: { email: true, name: true } },
      templateVersion: { select: { version: true, approval: true, defaultTtlHours: true, template: { select: { slug: true, name: true } } } },
    },
  });
  const teamIds = [...new Set(pending.map((p) => p.teamId))];
  const [quotas, usage] = await Promise.all([
    ctx.db.teamQuota.findMany({ where: { teamId: { in: teamIds } } }),
    ctx.db.virtualCluster.groupBy({
      by: ["teamId"],
      where: { teamId: { in: teamIds }, phase: { in: LIVE_PHASES.filter((p) => p !== "PENDING_APPROVAL") } },
      _count: { _all: true },
      _sum: { cpuMillicores: true, memoryMiB: true },
    }),
  ]);
  const limitsOf = new Map(
    quotas.map((q) => [q.teamId, { clusters: q.maxClusters, cpuMillicores: q.cpuMillicores, memoryMiB: q.memoryMiB, approvalThresholdPercent: q.approvalThresholdPercent }]),
  );
  const usageOf = new Map(usage.map((u) => [u.teamId, { clusters: u._count._all, cpuMillicores: u._sum.cpuMillicores ?? 0, memoryMiB: u._sum.memoryMiB ?? 0 }]));
  const pendingPerTeam = new Map<string, number>();
  for (const p of pending) pendingPerTeam.set(p.teamId, (pendingPerTeam.get(p.teamId) ?? 0) + 1);

  return pending.map((p) => {
    const params = (p.parameters ?? {}) as Record<string, unknown>;
    const ttlHours = typeof params.ttlHours === "number" ? params.ttlHours : p.templateVersion.defaultTtlHours;
    const request = { clusters: 1, cpuMillicores: p.cpuMillicores, memoryMiB: p.memoryMiB };
    return {
      id: p.id,
      name: p.name,
      requestedAt: p.createdAt,
      requester: p.owner,
      team: { id: p.teamId, ...p.team },
      template: { ...p.templateVersion.template, version: p.templateVersion.version },
      why: p.templateVersion.approval === "REQUIRED" ? ("template" as const) : ("threshold" as const),
      parameters: params,
      ttlHours,
      request,
      impact: quotaImpact(
        limitsOf.get(p.teamId) ?? null,
        usageOf.get(p.teamId) ?? { clusters: 0, cpuMillicores: 0, memoryMiB: 0 },
        request,
        (pendingPerTeam.get(p.teamId) ?? 1) - 1,
      ),
    };
  });
}

export type PendingApproval = Awaited<ReturnType<typeof listPendingApprovals>>[number];
