import { can } from "@/lib/authz/permissions";
import type { DomainContext } from "@/lib/domain/context";
import { teamUsages } from "@/lib/domain/quota";
import { forbidden } from "@/lib/errors";
import { requestedLifetimeHours } from "@/lib/lifecycle/lifetime";
import { quotaImpact } from "@/lib/lifecycle/quota";

/** The queue shows at most this many (oldest first); deciding them brings the next ones up. */
export const PENDING_APPROVALS_LIMIT = 200;

/**
 * The approval queue, oldest first, with each request's quota impact: what the team has in use, what waits
 * for approval (this request among it, and requests beyond the queue's first page too), and whether the team
 * stays within its quota once this one request is in use.
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
  const [quotas, usages] = await Promise.all([ctx.db.teamQuota.findMany({ where: { teamId: { in: teamIds } } }), teamUsages(ctx.db, teamIds)]);
  const limitsOf = new Map(
    quotas.map((q) => [q.teamId, { clusters: q.maxClusters, cpuMillicores: q.cpuMillicores, memoryMiB: q.memoryMiB, approvalThresholdPercent: q.approvalThresholdPercent }]),
  );

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
      impact: quotaImpact(limitsOf.get(p.teamId) ?? null, usages.get(p.teamId)!, request),
    };
  });
}

export type PendingApproval = Awaited<ReturnType<typeof listPendingApprovals>>[number];
