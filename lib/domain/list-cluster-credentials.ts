import { can } from "@/lib/authz/permissions";
import type { DomainContext } from "@/lib/domain/context";
import { credentialState } from "@/lib/domain/credential-lifetime";
import { loadVisibleCluster } from "@/lib/domain/load-cluster";
import { forbidden } from "@/lib/errors";

// Who holds a credential for a cluster (the cluster page's "Access" card), JSON-safe (dates as ISO strings).

export type TClusterCredential = {
  userId: string;
  name: string | null;
  email: string;
  serviceAccount: string;
  role: string;
  issuedAt: string;
  expiresAt: string;
  downloads: number;
  state: "active" | "expired" | "revoking" | "revoked";
  revokedAt: string | null;
  revokedBy: string | null;
  /** "revoked" by a lead or admin, "left-team" when membership ended. */
  revokeReason: string | null;
  revocationError: string | null;
};

export type TClusterAccess = { credentials: TClusterCredential[]; canRevoke: boolean };

/** For the cluster's owner, its team's leads and admins; NOT_FOUND outside the team, FORBIDDEN for other members. */
export async function listClusterCredentials(ctx: DomainContext, clusterId: string, now = new Date()): Promise<TClusterAccess> {
  const cluster = await loadVisibleCluster(ctx.db, ctx, clusterId);
  if (!can(ctx.actor, "cluster.access.view", { cluster })) throw forbidden("Only the cluster's owner, a lead of its team or an admin can see who holds credentials.");
  const rows = await ctx.db.clusterCredential.findMany({
    where: { clusterId: cluster.id },
    include: { user: { select: { name: true, email: true } }, revokedBy: { select: { email: true, name: true } } },
    orderBy: [{ revokedAt: { sort: "desc", nulls: "first" } }, { issuedAt: "desc" }],
  });
  return {
    canRevoke: can(ctx.actor, "cluster.access.revoke", { cluster }),
    credentials: rows.map((r) => ({
      userId: r.userId,
      name: r.user.name,
      email: r.user.email,
      serviceAccount: r.serviceAccount,
      role: r.role,
      issuedAt: r.issuedAt.toISOString(),
      expiresAt: r.expiresAt.toISOString(),
      downloads: r.downloads,
      state: credentialState(r, now),
      revokedAt: r.revokedAt?.toISOString() ?? null,
      revokedBy: r.revokeReason === "left-team" ? "left the team" : (r.revokedBy?.name ?? r.revokedBy?.email ?? null),
      revokeReason: r.revokeReason,
      revocationError: r.revocationError,
    })),
  };
}
