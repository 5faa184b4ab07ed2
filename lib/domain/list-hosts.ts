import { can } from "@/lib/authz/permissions";
import { LIVE_PHASES } from "@/lib/domain/cluster-phase";
import type { DomainContext } from "@/lib/domain/context";
import { forbidden } from "@/lib/errors";

/** Host clusters with what their live virtual clusters reserve. Never returns the stored kubeconfig. */
export async function listHosts(ctx: DomainContext) {
  if (!can(ctx.actor, "host.manage")) throw forbidden("Only admins can see host clusters.");
  const [hosts, usage] = await Promise.all([
    ctx.db.hostCluster.findMany({ orderBy: { name: "asc" }, omit: { kubeconfigEncrypted: true } }),
    ctx.db.virtualCluster.groupBy({
      by: ["hostClusterId"],
      where: { hostClusterId: { not: null }, phase: { in: LIVE_PHASES } },
      _count: { _all: true },
      _sum: { cpuMillicores: true, memoryMiB: true },
    }),
  ]);
  const used = new Map(usage.map((u) => [u.hostClusterId, u]));
  return hosts.map((h) => {
    const u = used.get(h.id);
    return {
      ...h,
      labels: (h.labels ?? {}) as Record<string, string>,
      used: { clusters: u?._count._all ?? 0, cpuMillicores: u?._sum.cpuMillicores ?? 0, memoryMiB: u?._sum.memoryMiB ?? 0 },
    };
  });
}

export type HostRow = Awaited<ReturnType<typeof listHosts>>[number];
