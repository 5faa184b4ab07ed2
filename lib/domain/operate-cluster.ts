import { type Action, can } from "@/lib/authz/permissions";
import { recordAudit, recordClusterEvent } from "@/lib/domain/audit";
import type { DomainContext } from "@/lib/domain/context";
import { enqueueReconcile } from "@/lib/domain/enqueue";
import { loadVisibleCluster } from "@/lib/domain/load-cluster";
import { AppError, forbidden } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";

type Cluster = Awaited<ReturnType<typeof loadVisibleCluster>>;

type Change = {
  permission: Action;
  action: string;
  /** Validates against the current row and returns the update; throw an AppError to refuse. */
  decide: (cluster: Cluster) => { data: Prisma.VirtualClusterUpdateManyMutationInput; event: string; message: string; details?: Prisma.InputJsonValue };
  afterUpdate?: (tx: Prisma.TransactionClient, cluster: Cluster) => Promise<void>;
  enqueue?: boolean;
};

/**
 * The shape every lifecycle use case shares: authorize → decide → compare-and-set on the phase the
 * decision was made against → audit + timeline → enqueue. A concurrent change makes the CAS miss.
 */
export async function operateCluster(ctx: DomainContext, clusterId: string, change: Change) {
  return ctx.db.$transaction(async (tx) => {
    const cluster = await loadVisibleCluster(tx, ctx, clusterId);
    if (!can(ctx.actor, change.permission, { cluster })) throw forbidden("Only the cluster's owner, a lead of its team or an admin can do that.");
    const { data, event, message, details } = change.decide(cluster);
    const updated = await tx.virtualCluster.updateMany({ where: { id: cluster.id, phase: cluster.phase, generation: cluster.generation }, data });
    if (updated.count !== 1) throw new AppError("CONFLICT", "The cluster changed while you were looking at it. Reload and try again.");
    await change.afterUpdate?.(tx, cluster);
    await recordClusterEvent(tx, cluster.id, event, message, ctx.actor.id);
    await recordAudit(tx, ctx, { action: change.action, targetType: "cluster", targetId: cluster.id, teamId: cluster.teamId, details: { name: cluster.name, ...((details as object) ?? {}) } });
    if (change.enqueue !== false) await enqueueReconcile(tx, cluster.id);
    return tx.virtualCluster.findUniqueOrThrow({ where: { id: cluster.id } });
  });
}
