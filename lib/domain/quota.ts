import { LIVE_PHASES } from "@/lib/domain/cluster-phase";
import { AppError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";

export type Resources = { clusters: number; cpuMillicores: number; memoryMiB: number };
export type QuotaLimits = Resources & { approvalThresholdPercent: number };

/** Reserved = what the team's live clusters claim. Derived on read, never stored twice. */
export async function reservedUsage(tx: Prisma.TransactionClient, teamId: string): Promise<Resources> {
  const agg = await tx.virtualCluster.aggregate({
    where: { teamId, phase: { in: LIVE_PHASES } },
    _count: { _all: true },
    _sum: { cpuMillicores: true, memoryMiB: true },
  });
  return { clusters: agg._count._all, cpuMillicores: agg._sum.cpuMillicores ?? 0, memoryMiB: agg._sum.memoryMiB ?? 0 };
}

export const formatCpu = (m: number) => (m % 1000 === 0 ? `${m / 1000} CPU` : `${(m / 1000).toFixed(1)} CPU`);
export const formatMemory = (mib: number) => (mib >= 1024 ? `${+(mib / 1024).toFixed(1)} GiB` : `${mib} MiB`);

export type QuotaCheck = { fits: true; needsApproval: boolean; after: Resources } | { fits: false; message: string };

/** Pure: does `request` fit into `limits` given `used`, and does it cross the team's approval threshold? */
export function checkQuota(limits: QuotaLimits, used: Resources, request: Resources): QuotaCheck {
  const after = {
    clusters: used.clusters + request.clusters,
    cpuMillicores: used.cpuMillicores + request.cpuMillicores,
    memoryMiB: used.memoryMiB + request.memoryMiB,
  };
  const over: string[] = [];
  if (after.clusters > limits.clusters) over.push(`clusters (${used.clusters} of ${limits.clusters} in use)`);
  if (after.cpuMillicores > limits.cpuMillicores)
    over.push(`CPU (${formatCpu(request.cpuMillicores)} requested, ${formatCpu(Math.max(0, limits.cpuMillicores - used.cpuMillicores))} left)`);
  if (after.memoryMiB > limits.memoryMiB)
    over.push(`memory (${formatMemory(request.memoryMiB)} requested, ${formatMemory(Math.max(0, limits.memoryMiB - used.memoryMiB))} left)`);
  if (over.length > 0) return { fits: false, message: `This request exceeds your team's quota for ${over.join(", ")}.` };
  const t = limits.approvalThresholdPercent / 100;
  const needsApproval =
    after.clusters > limits.clusters * t || after.cpuMillicores > limits.cpuMillicores * t || after.memoryMiB > limits.memoryMiB * t;
  return { fits: true, needsApproval, after };
}

export async function loadLimits(tx: Prisma.TransactionClient, teamId: string): Promise<QuotaLimits> {
  const q = await tx.teamQuota.findUnique({ where: { teamId } });
  if (!q) throw new AppError("PRECONDITION_FAILED", "Your team has no quota yet; ask an admin to set one.");
  return { clusters: q.maxClusters, cpuMillicores: q.cpuMillicores, memoryMiB: q.memoryMiB, approvalThresholdPercent: q.approvalThresholdPercent };
}

/** Serialize quota decisions per team: concurrent requests cannot both take the last slot. */
export async function lockTeam(tx: Prisma.TransactionClient, teamId: string) {
  await tx.$queryRaw`SELECT id FROM "Team" WHERE id = ${teamId} FOR UPDATE`;
}
