import { recordAudit, recordClusterEvent } from "@/lib/domain/audit";
import { SYSTEM_ACTOR } from "@/lib/domain/context";
import type { Prisma } from "@/lib/generated/prisma/client";

// When a person may no longer download a cluster's kubeconfig (they left its team, or lost the admin flag that let
// them in), the credentials they already hold must stop working too. Call this in the same transaction that changes
// memberships (lib/auth/sync-groups.ts at sign-in; any admin membership management): it records the revocations
// (revokeReason "left-team"), audits each one, and the credential revocation sweep deletes the ServiceAccounts in
// the virtual clusters (lib/domain/apply-credential-revocations.ts). A later return to the team issues afresh.

export type LapsedRevocation = { credentialId: string; clusterId: string; clusterName: string };

/**
 * Revokes every active credential of `userId` on a cluster whose team they are no longer in (none while they are
 * an admin: admins may download every cluster's kubeconfig). `cause` says what changed, for the audit log.
 */
export async function revokeLapsedCredentials(tx: Prisma.TransactionClient, userId: string, cause: string, now = new Date()): Promise<LapsedRevocation[]> {
  const user = await tx.user.findUnique({ where: { id: userId }, select: { email: true, isAdmin: true, memberships: { select: { teamId: true } } } });
  if (!user || user.isAdmin) return [];
  const teamIds = user.memberships.map((m) => m.teamId);
  const lapsed = await tx.clusterCredential.findMany({
    where: { userId, revokedAt: null, cluster: { teamId: { notIn: teamIds } } },
    select: { id: true, serviceAccount: true, cluster: { select: { id: true, name: true, teamId: true } } },
  });
  const out: LapsedRevocation[] = [];
  for (const c of lapsed) {
    const n = await tx.clusterCredential.updateMany({ where: { id: c.id, revokedAt: null }, data: { revokedAt: now, revokedById: null, revokeReason: "left-team", revocationError: null } });
    if (n.count !== 1) continue;
    await recordAudit(tx, { actor: { ...SYSTEM_ACTOR, memberships: [] } }, {
      action: "cluster.access.revoke",
      targetType: "cluster",
      targetId: c.cluster.id,
      teamId: c.cluster.teamId,
      details: { name: c.cluster.name, person: user.email, userId, serviceAccount: c.serviceAccount, reason: "left-team", cause },
    });
    await recordClusterEvent(tx, c.cluster.id, "access-revoked", `${user.email} left the team: their kubeconfig is revoked`);
    out.push({ credentialId: c.id, clusterId: c.cluster.id, clusterName: c.cluster.name });
  }
  return out;
}
