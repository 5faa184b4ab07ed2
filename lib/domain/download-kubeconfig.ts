import { can, clusterScope } from "@/lib/authz/permissions";
import { applyCredentialRevocations } from "@/lib/domain/apply-credential-revocations";
import { recordAudit } from "@/lib/domain/audit";
import type { DomainContext } from "@/lib/domain/context";
import { effectiveExpiry, tokenLifetime } from "@/lib/domain/credential-lifetime";
import { kubeconfigFilename } from "@/lib/domain/get-cluster-detail";
import { env } from "@/lib/env";
import { AppError, forbidden, notFound } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import { HostConnectionError } from "@/lib/kube/client";
import type { ClusterSpec } from "@/lib/kube/cluster-spec";
import { toKubeError } from "@/lib/kube/errors";
import {
  TenantRoleMissingError,
  VirtualClusterUnavailableError,
  kubeCredentialOps,
  personalKubeconfig,
  type CredentialOps,
  type IssuedCredential,
} from "@/lib/kube/vcluster-credentials";
import { KubeconfigNotReadyError } from "@/lib/kube/vcluster-kubeconfig";
import { canDownloadKubeconfig } from "@/lib/lifecycle/commands";
import { kubeconfigDownloads } from "@/lib/metrics/registry";
import { CLUSTER_SPEC_INCLUDE, SpecError, specFromRow } from "@/lib/domain/spec-from-row";

export type KubeconfigDownload = {
  filename: string;
  contentType: "application/yaml";
  body: string;
  /** When the token in it stops working (at most KUBECONFIG_TOKEN_MAX_HOURS, never after the cluster ends). */
  expiresAt: Date;
  serviceAccount: string;
};

export type DownloadDeps = {
  /** lib/kube by default; tests route it through the emulator. */
  ops?: CredentialOps;
  now?: () => Date;
  /** KUBECONFIG_TOKEN_MAX_HOURS by default. */
  maxHours?: number;
};

const fmt = (d: Date) => `${d.toISOString().slice(0, 16).replace("T", " ")} UTC`;

/**
 * A personal kubeconfig for a READY cluster, for its team's members and admins; for everyone else the cluster does
 * not exist (NOT_FOUND). The portal uses the virtual cluster's admin credential (Secret `vc-<release>`) only to make
 * the person's ServiceAccount there (bound to the template version's tenantRole) and a TokenRequest token that
 * expires after KUBECONFIG_TOKEN_MAX_HOURS or when the cluster ends, whichever is first. The file holds that token,
 * the cluster's CA and its public server (the host's endpoint pattern, else what vCluster exported) — never the
 * admin certificate. Downloading again mints a new token for the same ServiceAccount. Someone whose access a lead or
 * admin revoked is refused (FORBIDDEN, audited as `cluster.kubeconfig.refused`). Every download is an AuditEvent
 * (`cluster.kubeconfig.download`) and counts in vcp_kubeconfig_downloads_total. Nothing is cached.
 */
export async function downloadKubeconfig(ctx: DomainContext, clusterId: string, deps: DownloadDeps = {}): Promise<KubeconfigDownload> {
  const ops = deps.ops ?? kubeCredentialOps();
  const now = (deps.now ?? (() => new Date()))();
  const maxHours = deps.maxHours ?? env().KUBECONFIG_TOKEN_MAX_HOURS;
  const person = { userId: ctx.actor.id, email: ctx.actor.email };

  // 1. Who may have it: scoping in the where, then the permission table.
  const row = await ctx.db.virtualCluster.findFirst({ where: { id: clusterId, ...clusterScope(ctx.actor) }, include: CLUSTER_SPEC_INCLUDE });
  if (!row || !can(ctx.actor, "cluster.kubeconfig", { cluster: row })) throw notFound("Cluster");

  // 2. Only a ready cluster has one.
  const ready = canDownloadKubeconfig(row);
  if (!ready.ok) throw new AppError("CONFLICT", `${row.name}: ${ready.reason}`);
  const host = row.hostCluster;
  if (!host) throw new AppError("CONFLICT", `${row.name} is not placed on a host cluster yet.`);

  // 3. A lead or an admin revoked this person's access: refused, and the attempt is on record.
  const existing = await ctx.db.clusterCredential.findUnique({ where: { clusterId_userId: { clusterId: row.id, userId: person.userId } }, include: { revokedBy: { select: { email: true } } } });
  if (existing?.revokeReason === "revoked") {
    await recordAudit(ctx.db, ctx, { action: "cluster.kubeconfig.refused", targetType: "cluster", targetId: row.id, teamId: row.teamId, details: { name: row.name, reason: "access revoked" } });
    throw forbidden(
      `Your access to ${row.name} was revoked${existing.revokedBy ? ` by ${existing.revokedBy.email}` : ""}${existing.revokedAt ? ` on ${fmt(existing.revokedAt)}` : ""}. Ask a lead of the team or an admin if you need it again.`,
    );
  }

  // 4. How long the token may live.
  const lifetime = tokenLifetime({ now, clusterExpiresAt: row.expiresAt, maxHours });
  if (!lifetime.ok)
    throw new AppError(
      "CONFLICT",
      lifetime.reason === "cluster-ended"
        ? `${row.name} reached the end of its lifetime (${fmt(lifetime.clusterExpiresAt)}); extend it to download a kubeconfig.`
        : `${row.name} ends in less than 10 minutes (${fmt(lifetime.clusterExpiresAt)}), too soon for a token; extend it to download a kubeconfig.`,
    );

  // 5. The person's identity in the virtual cluster, and a token for it.
  let spec: ClusterSpec;
  try {
    spec = specFromRow(row);
  } catch (e) {
    if (e instanceof SpecError) throw new AppError("UNAVAILABLE", `The kubeconfig cannot be built: ${e.message}`);
    throw e;
  }
  const role = row.templateVersion.tenantRole;
  // Back in the team after leaving it, before the old ServiceAccount was deleted: delete it first (its tokens die).
  const replace = existing?.revokedAt != null && existing.revocationAppliedAt === null;
  let issued: IssuedCredential;
  try {
    issued = await retryBriefly(() => ops.issue(host, spec, { person, role, seconds: lifetime.seconds, replace }));
  } catch (e) {
    throw issueError(e, row.name, role);
  }
  const expiresAt = effectiveExpiry(lifetime.expiresAt, issued.expiresAt);

  // 6. Record it — unless the person's access ended meanwhile (revoked, or left the team): then the record says
  //    so and the ServiceAccount is deleted again (at once when possible, else by the revocation sweep).
  const record = { serviceAccount: issued.serviceAccount, role, issuedAt: now, expiresAt };
  const outcome = await ctx.db.$transaction(async (tx) => {
    const stillAllowed = await mayStillDownload(tx, person.userId, row.teamId);
    const key = { clusterId: row.id, userId: person.userId };
    if (!existing) {
      const created = await tx.clusterCredential.createMany({
        data: [{ ...key, ...record, ...(stillAllowed ? {} : { revokedAt: now, revokeReason: "left-team" }) }],
        skipDuplicates: true,
      });
      if (created.count === 1) return stillAllowed ? "issued" : "lapsed";
    }
    const guard: Prisma.ClusterCredentialWhereInput = existing?.revokedAt ? { ...key, revokedAt: existing.revokedAt, revokeReason: "left-team" } : { ...key, revokedAt: null };
    const updated = stillAllowed
      ? await tx.clusterCredential.updateMany({
          where: guard,
          data: { ...record, downloads: { increment: 1 }, revokedAt: null, revokedById: null, revokeReason: null, revocationAppliedAt: null, revocationError: null },
        })
      : { count: 0 };
    if (updated.count === 1) return "issued";
    // Revoked meanwhile (the sweep may already have deleted the account this download just made again): apply again.
    await tx.clusterCredential.updateMany({ where: { ...key, revokedAt: { not: null } }, data: { revocationAppliedAt: null } });
    await tx.clusterCredential.updateMany({ where: { ...key, revokedAt: null }, data: { revokedAt: now, revokeReason: "left-team" } });
    return "lapsed";
  });
  if (outcome === "lapsed") {
    await applyCredentialRevocations(ctx.db, { ops, clusterId: row.id }).catch(() => {});
    const after = await ctx.db.clusterCredential.findUnique({ where: { clusterId_userId: { clusterId: row.id, userId: person.userId } }, select: { revokeReason: true } });
    if (after?.revokeReason === "revoked") throw forbidden(`Your access to ${row.name} was revoked. Ask a lead of the team or an admin if you need it again.`);
    throw notFound("Cluster");
  }

  // 7. Audit before handing it out: no audit row, no kubeconfig.
  await recordAudit(ctx.db, ctx, {
    action: "cluster.kubeconfig.download",
    targetType: "cluster",
    targetId: row.id,
    teamId: row.teamId,
    details: { name: row.name, server: spec.exportServer ?? "exported", host: host.name, serviceAccount: issued.serviceAccount, role, expiresAt: expiresAt.toISOString() },
  });
  kubeconfigDownloads.inc();
  const body = personalKubeconfig({
    name: `${spec.teamSlug}-${spec.name}`,
    server: spec.exportServer ?? issued.server,
    caData: issued.caData,
    token: issued.token,
    expiresAt,
    issuedAt: now,
    email: person.email,
    serviceAccount: issued.serviceAccount,
    role,
  });
  return { filename: kubeconfigFilename(row.name), contentType: "application/yaml", body, expiresAt, serviceAccount: issued.serviceAccount };
}

/**
 * A control plane that just became ready may still be settling (its API server finishing its own start-up,
 * a write racing another download of the same person): try twice more within ~1.5 s before telling the person
 * to come back. Each attempt is idempotent (the ServiceAccount and its binding are applied, the token is new).
 */
async function retryBriefly<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      const transient = e instanceof VirtualClusterUnavailableError || ["Unavailable", "Conflict", "AlreadyExists", "TooManyRequests"].includes(toKubeError(e).kind);
      if (!transient || attempt >= 2) throw e;
      await new Promise((r) => setTimeout(r, 500 * (attempt + 1)));
    }
  }
}

/** Membership or the admin flag, as the database says now (the request's actor may be a moment old). */
async function mayStillDownload(tx: Prisma.TransactionClient, userId: string, teamId: string): Promise<boolean> {
  const user = await tx.user.findUnique({ where: { id: userId }, select: { isAdmin: true, memberships: { where: { teamId }, select: { id: true } } } });
  return Boolean(user && (user.isAdmin || user.memberships.length > 0));
}

function issueError(e: unknown, name: string, role: string): unknown {
  if (e instanceof KubeconfigNotReadyError) return new AppError("CONFLICT", `The kubeconfig of ${name} is not written yet; try again in a moment.`);
  if (e instanceof HostConnectionError) return new AppError("UNAVAILABLE", `The host cluster of ${name} cannot be reached right now; try again later.`);
  if (e instanceof VirtualClusterUnavailableError) return new AppError("UNAVAILABLE", `The API server of ${name} is not answering right now; try again in a moment.`);
  if (e instanceof TenantRoleMissingError)
    return new AppError("CONFLICT", `The role "${role}" that ${name}'s template grants does not exist in the cluster (yet); ask an admin to check the template's role.`);
  const ke = toKubeError(e);
  if (ke.kind === "NotFound") return new AppError("CONFLICT", `The kubeconfig of ${name} is not written yet; try again in a moment.`);
  if (ke.kind === "Unavailable" || ke.kind === "TooManyRequests") return new AppError("UNAVAILABLE", `The host cluster of ${name} is not answering right now; try again later.`);
  return e;
}
