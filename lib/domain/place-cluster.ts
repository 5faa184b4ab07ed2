import { LIVE_PHASES } from "@/lib/lifecycle/phases";
import { chooseHost } from "@/lib/domain/placement";
import { AppError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";

type Need = {
  cpuMillicores: number;
  memoryMiB: number;
  selector: Record<string, string>;
  /** Whether the template offers a smaller size than the one asked for: only then is "try a smaller size" advice. */
  smallerSizeOffered?: boolean;
};

/** What a person can do when no host takes the cluster: enabling a host, a smaller size (if there is one), capacity. */
export function noRoomMessage({ anyHostEnabled, smallerSizeOffered }: { anyHostEnabled: boolean; smallerSizeOffered: boolean }): string {
  if (!anyHostEnabled) return "No host cluster is taking new clusters right now (every host is disabled). Ask an admin to enable a host, then try again.";
  return smallerSizeOffered
    ? "No host cluster has room for this cluster right now. Try a smaller size, or ask an admin to add capacity."
    : "No host cluster has room for this cluster right now. Ask an admin to add capacity or free some up, then try again.";
}

/**
 * Chooses a host for a cluster inside the caller's transaction. Optimistic: choose from a plain read, then lock
 * only the chosen host's row and check again that it still fits — two requests serialize only when they pick
 * the same host, and a nearly full host is never overcommitted (the second one sees the first one's cluster).
 */
export async function placeCluster(tx: Prisma.TransactionClient, need: Need): Promise<string> {
  let excluded: string[] = [];
  let anyHostEnabled = false;
  for (let attempt = 0; attempt < 3; attempt++) {
    const hosts = await tx.hostCluster.findMany({ where: { enabled: true, id: { notIn: excluded } } });
    anyHostEnabled ||= hosts.length > 0;
    const chosen = chooseHost(await withUsage(tx, hosts), need);
    if (!chosen) break;
    const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "HostCluster" WHERE id = ${chosen.id} AND enabled FOR UPDATE`;
    if (locked.length && chooseHost(await withUsage(tx, [chosen]), need)) return chosen.id;
    excluded = [...excluded, chosen.id];
  }
  throw new AppError("UNAVAILABLE", noRoomMessage({ anyHostEnabled, smallerSizeOffered: need.smallerSizeOffered ?? false }));
}

async function withUsage<H extends { id: string; labels: Prisma.JsonValue }>(tx: Prisma.TransactionClient, hosts: H[]) {
  const usage = await tx.virtualCluster.groupBy({
    by: ["hostClusterId"],
    where: { hostClusterId: { in: hosts.map((h) => h.id) }, phase: { in: LIVE_PHASES } },
    _count: { _all: true },
    _sum: { cpuMillicores: true, memoryMiB: true },
  });
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
