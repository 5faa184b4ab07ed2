import { can, clusterScope } from "@/lib/authz/permissions";
import { recordAudit } from "@/lib/domain/audit";
import { phaseLabel } from "@/lib/domain/cluster-phase";
import type { DomainContext } from "@/lib/domain/context";
import { kubeconfigFilename } from "@/lib/domain/get-cluster-detail";
import { AppError, notFound } from "@/lib/errors";
import { HostConnectionError, hostClient } from "@/lib/kube/client";
import type { ClusterSpec } from "@/lib/kube/cluster-spec";
import { toKubeError } from "@/lib/kube/errors";
import { KubeconfigNotReadyError, readKubeconfig } from "@/lib/kube/vcluster-ops";
import { kubeconfigDownloads } from "@/lib/metrics/registry";
import { CLUSTER_SPEC_INCLUDE, type HostRow, SpecError, specFromRow } from "@/lib/reconciler/spec-from-row";

/** Reads the admin kubeconfig of a virtual cluster from its host; `server` is the public address to write in. */
export type KubeconfigReader = (host: HostRow, spec: ClusterSpec, server: string | null) => Promise<string>;

/** lib/kube: Secret `vc-<release>` key `config`, server rewritten, context named after the cluster. */
export const readKubeconfigFromHost: KubeconfigReader = (host, spec, server) => readKubeconfig(hostClient(host), spec, server);

export type KubeconfigDownload = { filename: string; contentType: "application/yaml"; body: string };

/**
 * The kubeconfig of a READY cluster, for its owner, the members of its team and admins; for everyone else
 * the cluster does not exist (NOT_FOUND). The server is the host's public endpoint for the cluster (from
 * HostCluster.endpointPattern) or else the address vcluster exported. Every download is an AuditEvent
 * (`cluster.kubeconfig.download`) and counts in vcp_kubeconfig_downloads_total. Nothing is cached.
 */
export async function downloadKubeconfig(ctx: DomainContext, clusterId: string, deps: { read?: KubeconfigReader } = {}): Promise<KubeconfigDownload> {
  const read = deps.read ?? readKubeconfigFromHost;

  // 1. Who may see it: scoping in the where, then the permission table.
  const row = await ctx.db.virtualCluster.findFirst({ where: { id: clusterId, ...clusterScope(ctx.actor) }, include: CLUSTER_SPEC_INCLUDE });
  if (!row || !can(ctx.actor, "cluster.kubeconfig", { cluster: row })) throw notFound("Cluster");

  // 2. Only a ready cluster has one.
  if (row.phase !== "READY")
    throw new AppError("CONFLICT", `The kubeconfig of ${row.name} is available once the cluster is ready; it is ${phaseLabel(row.phase).toLowerCase()} now.`);
  if (!row.hostCluster) throw new AppError("CONFLICT", `${row.name} is not placed on a host cluster yet.`);

  // 3. Where it is reached from (endpoint pattern, else the exported address) and the read itself.
  let spec: ClusterSpec;
  try {
    spec = specFromRow(row);
  } catch (e) {
    if (e instanceof SpecError) throw new AppError("UNAVAILABLE", `The kubeconfig cannot be built: ${e.message}`);
    throw e;
  }
  let body: string;
  try {
    body = await read(row.hostCluster, spec, spec.exportServer);
  } catch (e) {
    if (e instanceof KubeconfigNotReadyError) throw new AppError("CONFLICT", `The kubeconfig of ${row.name} is not written yet; try again in a moment.`);
    if (e instanceof HostConnectionError) throw new AppError("UNAVAILABLE", `The host cluster of ${row.name} cannot be reached right now; try again later.`);
    const ke = toKubeError(e);
    if (ke.kind === "NotFound") throw new AppError("CONFLICT", `The kubeconfig of ${row.name} is not written yet; try again in a moment.`);
    if (ke.kind === "Unavailable" || ke.kind === "TooManyRequests") throw new AppError("UNAVAILABLE", `The host cluster of ${row.name} is not answering right now; try again later.`);
    throw e;
  }

  // 4. Audit before handing it out: no audit row, no kubeconfig.
  await recordAudit(ctx.db, ctx, {
    action: "cluster.kubeconfig.download",
    targetType: "cluster",
    targetId: row.id,
    teamId: row.teamId,
    details: { name: row.name, server: spec.exportServer ?? "exported", host: row.hostCluster.name },
  });
  kubeconfigDownloads.inc();
  return { filename: kubeconfigFilename(row.name), contentType: "application/yaml", body };
}
