import { LIVE_PHASES } from "@/lib/domain/cluster-phase";
import { chooseHost } from "@/lib/domain/placement";
import { AppError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";

/** Choose a host for a cluster inside the caller's transaction; hosts are locked so placements do not race. */
export async function placeCluster(
  tx: Prisma.TransactionClient,
  need: { cpuMillicores: number; memoryMiB: number; selector: Record<string, string> },
): Promise<string> {
  await tx.$queryRaw`SELECT id FROM "HostCluster" WHERE enabled ORDER BY id FOR UPDATE`;
  const hosts = await tx.hostCluster.findMany({ where: { enabled: true } });
  const usage = await tx.virtualCluster.groupBy({
    by: ["hostClusterId"],
    where: { hostClusterId: { in: hosts.map((h) => h.id) }, phase: { in: LIVE_PHASES } },
    _count: { _all: true },
    _sum: { cpuMillicores: true, memoryMiB: true },
  });
  const used = new Map(usage.map((u) => [u.hostClusterId, u]));
  const chosen = chooseHost(
    hosts.map((h) => {
      const u = used.get(h.id);
      return {
        ...h,
        labels: (h.labels ?? {}) as Record<string, string>,
        used: { clusters: u?._count._all ?? 0, cpuMillicores: u?._sum.cpuMillicores ?? 0, memoryMiB: u?._sum.memoryMiB ?? 0 },
      };
    }),
    need,
  );
  if (!chosen) throw new AppError("UNAVAILABLE", "No host cluster has room for this cluster right now. Try a smaller size or ask an admin to add capacity.");
  return chosen.id;
}
