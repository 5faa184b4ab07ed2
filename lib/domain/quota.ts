import { AppError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import { LIVE_PHASES } from "@/lib/lifecycle/phases";
import { NO_USAGE, type QuotaLimits, type TeamUsage, addResources } from "@/lib/lifecycle/quota";

// What a team holds and may hold, read from the database; the arithmetic and its words are lib/lifecycle/quota.ts.

/**
 * Per team: what its live clusters hold, in use and waiting for approval (TeamUsage). Derived on read, never
 * stored twice; one query for any number of teams. Teams without live clusters hold nothing.
 */
export async function teamUsages(db: Prisma.TransactionClient, teamIds: string[]): Promise<Map<string, TeamUsage>> {
  const rows = await db.virtualCluster.groupBy({
    by: ["teamId", "phase"],
    where: { teamId: { in: teamIds }, phase: { in: LIVE_PHASES } },
    _count: { _all: true },
    _sum: { cpuMillicores: true, memoryMiB: true },
  });
  const usages = new Map<string, TeamUsage>(teamIds.map((id) => [id, NO_USAGE]));
  for (const r of rows) {
    const held = { clusters: r._count._all, cpuMillicores: r._sum.cpuMillicores ?? 0, memoryMiB: r._sum.memoryMiB ?? 0 };
    const u = usages.get(r.teamId) ?? NO_USAGE;
    usages.set(r.teamId, r.phase === "PENDING_APPROVAL" ? { ...u, pending: addResources(u.pending, held) } : { ...u, inUse: addResources(u.inUse, held) });
  }
  return usages;
}

export async function teamUsage(db: Prisma.TransactionClient, teamId: string): Promise<TeamUsage> {
  return (await teamUsages(db, [teamId])).get(teamId)!;
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
