import { z } from "zod";
import { can } from "@/lib/authz/permissions";
import { applyCredentialRevocations } from "@/lib/domain/apply-credential-revocations";
import { recordAudit, recordClusterEvent } from "@/lib/domain/audit";
import { loadVisibleCluster } from "@/lib/domain/load-cluster";
import { AppError, forbidden, notFound } from "@/lib/errors";
import type { CredentialOps } from "@/lib/kube/vcluster-credentials";
import type { Logger } from "@/lib/log";
import { defineUseCase } from "@/lib/domain/use-case";

export const ZRevokeClusterAccess = z.object({
  clusterId: z.string().trim().min(1, "Which cluster?"),
  userId: z.string().trim().min(1, "Whose access?"),
});
export type TRevokeClusterAccess = z.input<typeof ZRevokeClusterAccess>;

export type RevokeClusterAccessResult = {
  clusterId: string;
  clusterName: string;
  email: string;
  /** The ServiceAccount is already gone from the virtual cluster (else: as soon as it is reachable). */
  applied: boolean;
  message: string;
};

/**
 * A lead of the cluster's team or an admin revokes one person's credential for one cluster (the "Revoke access"
 * action on the cluster page). Recorded durably first — revokedAt, revokeReason "revoked" (later downloads by that
 * person are refused), audit `cluster.access.revoke`, a timeline line — then applied at once when the cluster is
 * ready: its API server refuses the person's tokens from then on (within its 10 s cache of successful token checks). A cluster asleep or unreachable gets it from
 * the credential revocation sweep. Outside the team: NOT_FOUND, as for every cluster one may not see.
 */
export const revokeClusterAccess = defineUseCase<typeof ZRevokeClusterAccess, RevokeClusterAccessResult, { ops?: CredentialOps; log?: Logger }>({
  name: "cluster.access.revoke",
  input: ZRevokeClusterAccess,
  permission: { action: "cluster.access.revoke", on: "cluster" },
  run: async (ctx, input, deps = {}): Promise<RevokeClusterAccessResult> => {
    const now = new Date();
    const recorded = await ctx.db.$transaction(async (tx) => {
      const cluster = await loadVisibleCluster(tx, ctx, input.clusterId);
      if (!can(ctx.actor, "cluster.access.revoke", { cluster })) throw forbidden("Only a lead of the cluster's team or an admin can revoke someone's access.");
      const credential = await tx.clusterCredential.findUnique({
        where: { clusterId_userId: { clusterId: cluster.id, userId: input.userId } },
        include: { user: { select: { email: true } } },
      });
      if (!credential) throw notFound("A credential of that person for this cluster");
      if (credential.revokeReason === "revoked") throw new AppError("CONFLICT", `${credential.user.email}'s access to ${cluster.name} is already revoked.`);
      // Active, or lapsed when they left the team (then it stays revoked and now also refuses downloads).
      const n = await tx.clusterCredential.updateMany({
        where: { id: credential.id, revokedAt: credential.revokedAt, revokeReason: credential.revokeReason },
        data: { revokedAt: credential.revokedAt ?? now, revokedById: ctx.actor.id === "system" ? null : ctx.actor.id, revokeReason: "revoked", revocationError: null },
      });
      if (n.count !== 1) throw new AppError("CONFLICT", "That credential changed while you were looking at it. Reload and try again.");
      await recordAudit(tx, ctx, {
        action: "cluster.access.revoke",
        targetType: "cluster",
        targetId: cluster.id,
        teamId: cluster.teamId,
        details: { name: cluster.name, person: credential.user.email, userId: input.userId, serviceAccount: credential.serviceAccount, reason: "revoked" },
      });
      await recordClusterEvent(tx, cluster.id, "access-revoked", `${ctx.actor.email} revoked ${credential.user.email}'s access`, ctx.actor.id);
      return { credentialId: credential.id, clusterId: cluster.id, clusterName: cluster.name, phase: cluster.phase, email: credential.user.email, alreadyApplied: credential.revocationAppliedAt !== null };
    });

    let applied = recorded.alreadyApplied;
    if (!applied) {
      const r = await applyCredentialRevocations(ctx.db, { ops: deps.ops, credentialId: recorded.credentialId, log: deps.log });
      applied = r.applied > 0;
    }
    const message = applied
      ? `Revoked ${recorded.email}'s access to ${recorded.clusterName}: their kubeconfig stops working within seconds.`
      : `Revoked ${recorded.email}'s access to ${recorded.clusterName}. ${recorded.phase === "READY" ? "The cluster is not answering right now" : "The cluster is not running right now"}; their kubeconfig stops working as soon as it is reachable again.`;
    return { clusterId: recorded.clusterId, clusterName: recorded.clusterName, email: recorded.email, applied, message };
  },
});
