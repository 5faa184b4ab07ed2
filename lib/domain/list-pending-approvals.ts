import { can } from "@/lib/authz/permissions";
import { LIVE_PHASES } from "@/lib/lifecycle/phases";
import type { DomainContext } from "@/lib/domain/context";
import { forbidden } from "@/lib/errors";
import { requestedLifetimeHours } from "@/lib/lifecycle/lifetime";
import { NO_RESOURCES, quotaImpact } from "@/lib/lifecycle/quota";

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
    const ttlHours = requestedLifetimeHours(params, p.templateVersion.defaultTtlHours);
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
        usageOf.get(p.teamId) ?? NO_RESOURCES,
        request,
        (pendingPerTeam.get(p.teamId) ?? 1) - 1,
      ),
    };
  });
}

export type PendingApproval = Awaited<ReturnType<typeof listPendingApprovals>>[number];
