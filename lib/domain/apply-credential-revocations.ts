import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import type { ClusterPhase } from "@/lib/generated/prisma/enums";
import { HostConnectionError } from "@/lib/kube/client";
import { VirtualClusterUnavailableError, kubeCredentialOps, type CredentialOps } from "@/lib/kube/vcluster-credentials";
import { KubeconfigNotReadyError } from "@/lib/kube/vcluster-kubeconfig";
import { log as rootLog, type Logger } from "@/lib/log";
import { CLUSTER_SPEC_INCLUDE, specFromRow } from "@/lib/domain/spec-from-row";

// A revocation is recorded in ClusterCredential (revokedAt) the moment it is decided; this makes it true in the
// virtual cluster: delete the person's ServiceAccount there, after which the API server refuses every token issued
// for it. A cluster that is asleep, not ready or unreachable keeps its revocations pending; the credential
// revocation sweep (lib/reconciler/sweeps.ts) comes back until they are applied.

/** Phases after which nothing of the cluster exists any more: nothing left to revoke. */
const GONE: readonly ClusterPhase[] = ["DELETED", "EXPIRED", "REJECTED"];
/** Phases in which the control plane may be serving (a drift repair or a failed later step keep it running). */
const MAY_SERVE: readonly ClusterPhase[] = ["READY", "PROVISIONING", "FAILED"];

export type RevocationResult = { applied: number; pending: number; failed: number };

export const PENDING_REVOCATION = { revokedAt: { not: null }, revocationAppliedAt: null } satisfies Prisma.ClusterCredentialWhereInput;

/**
 * Applies pending revocations (all, or those of one cluster / one credential). Per credential: the cluster is
 * gone → applied (nothing to delete); its control plane may be serving (READY, PROVISIONING, FAILED) → delete the
 * ServiceAccount, applied; asleep, being deleted or not answering → left pending. A failure is kept in
 * revocationError and retried next time. Guarded by compare-and-set on revokedAt, so a concurrent re-issue (a
 * person back in the team) is never marked as revoked.
 */
export async function applyCredentialRevocations(
  db: PrismaClient,
  opts: { ops?: CredentialOps; clusterId?: string; credentialId?: string; limit?: number; log?: Logger; now?: () => Date } = {},
): Promise<RevocationResult> {
  const ops = opts.ops ?? kubeCredentialOps();
  const log = opts.log ?? rootLog;
  const now = opts.now ?? (() => new Date());
  const rows = await db.clusterCredential.findMany({
    where: { ...PENDING_REVOCATION, ...(opts.clusterId ? { clusterId: opts.clusterId } : {}), ...(opts.credentialId ? { id: opts.credentialId } : {}) },
    include: { cluster: { include: CLUSTER_SPEC_INCLUDE }, user: { select: { email: true } } },
    orderBy: { revokedAt: "asc" },
    take: opts.limit ?? 200,
  });
  const result: RevocationResult = { applied: 0, pending: 0, failed: 0 };
  for (const r of rows) {
    const cluster = r.cluster;
    const guard = { id: r.id, revokedAt: r.revokedAt, revocationAppliedAt: null };
    if (GONE.includes(cluster.phase) || !cluster.hostCluster || !cluster.namespace) {
      const n = await db.clusterCredential.updateMany({ where: guard, data: { revocationAppliedAt: now(), revocationError: null } });
      result.applied += n.count;
      continue;
    }
    if (!MAY_SERVE.includes(cluster.phase)) {
      result.pending++;
      continue;
    }
    try {
      const outcome = await ops.revoke(cluster.hostCluster, specFromRow(cluster, undefined, { forDeletion: true }), r.serviceAccount);
      const n = await db.clusterCredential.updateMany({ where: guard, data: { revocationAppliedAt: now(), revocationError: null } });
      result.applied += n.count;
      log.info({ clusterId: cluster.id, credentialId: r.id, serviceAccount: r.serviceAccount, outcome }, `revoked ${r.user.email}'s credential in ${cluster.name}`);
    } catch (e) {
      const message = (e as Error).message.slice(0, 500);
      await db.clusterCredential.updateMany({ where: guard, data: { revocationError: message } });
      // Not serving after all (no kubeconfig Secret, API server down) while not READY: simply not yet.
      const notServing = e instanceof KubeconfigNotReadyError || e instanceof VirtualClusterUnavailableError || e instanceof HostConnectionError;
      if (notServing && cluster.phase !== "READY") {
        result.pending++;
        continue;
      }
      result.failed++;
      log.warn({ clusterId: cluster.id, credentialId: r.id, err: message }, "could not apply a credential revocation yet; it is retried");
    }
  }
  return result;
}
