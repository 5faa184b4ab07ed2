import { AppError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import { LIVE_PHASES } from "@/lib/lifecycle/phases";
import type { QuotaLimits, Resources } from "@/lib/lifecycle/quota";

// What a team holds and may hold, read from the database; the arithmetic is lib/lifecycle/quota.ts.

/** Reserved = what the team's live clusters claim. Derived on read, never stored twice. */
export async function reservedUsage(tx: Prisma.TransactionClient, teamId: string): Promise<Resources> {
  const agg = await tx.virtualCluster.aggregate({
    where: { teamId, phase: { in: LIVE_PHASES } },
    _count: { _all: true },
    _sum: { cpuMillicores: true, memoryMiB: true },
  });
  return { clusters: agg._count._all, cpuMillicores: agg._sum.cpuMillicores ?? 0, memoryMiB: agg._sum.memoryMiB ?? 0 };
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
