import { clusterScope } from "@/lib/authz/permissions";
import type { DomainContext } from "@/lib/domain/context";
import { notFound } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";

/**
 * Load a cluster the actor may see. Scoping is in the `where`, so a cluster of another team is
 * indistinguishable from one that does not exist: both are "not found".
 */
export async function loadVisibleCluster(tx: Prisma.TransactionClient, ctx: DomainContext, clusterId: string) {
  const cluster = await tx.virtualCluster.findFirst({
    where: { id: clusterId, ...clusterScope(ctx.actor) },
    // The team's quota carries its maximum lifetime (extend, the cluster page's extend form).
    include: { templateVersion: { include: { template: true } }, team: { include: { quota: true } } },
  });
  if (!cluster) throw notFound("Cluster");
  return cluster;
}
