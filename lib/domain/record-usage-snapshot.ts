import { LIVE_PHASES } from "@/lib/domain/cluster-phase";
import { dayKey } from "@/lib/domain/team-overview";
import type { Prisma } from "@/lib/generated/prisma/client";

/**
 * The daily usage sweep: one row per team and UTC day with what its live clusters reserve. Idempotent
 * (a re-run the same day overwrites that day's row with the current figure), one statement for all teams.
 */
export async function recordUsageSnapshots(db: Prisma.TransactionClient, now: Date = new Date()): Promise<number> {
  const day = dayKey(now);
  const phases = LIVE_PHASES.map((p) => String(p));
  return db.$executeRaw`
    INSERT INTO "UsageSnapshot" ("id", "teamId", "day", "clusters", "cpuMillicores", "memoryMiB", "createdAt")
    SELECT 'us_' || md5(t."id" || ${day}), t."id", ${day}::date,
           COUNT(c."id")::int, COALESCE(SUM(c."cpuMillicores"), 0)::int, COALESCE(SUM(c."memoryMiB"), 0)::int, now()
    FROM "Team" t
    LEFT JOIN "VirtualCluster" c ON c."teamId" = t."id" AND c."phase"::text = ANY(${phases})
    GROUP BY t."id"
    ON CONFLICT ("teamId", "day") DO UPDATE
      SET "clusters" = EXCLUDED."clusters", "cpuMillicores" = EXCLUDED."cpuMillicores", "memoryMiB" = EXCLUDED."memoryMiB", "createdAt" = now()`;
}
