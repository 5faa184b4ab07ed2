import { Prisma, type PrismaClient } from "@/lib/generated/prisma/client";
import { PARKED_PHASES } from "@/lib/lifecycle/phases";

// The reconcile queue's depth and age for /api/metrics and the worker's metrics, read from the
// VirtualCluster rows that hold the queue (lib/reconciler/queue.ts, docs/reconciler.md).

const NOW_UTC = Prisma.sql`(now() AT TIME ZONE 'UTC')`;
const PARKED_SQL = Prisma.raw(PARKED_PHASES.map((p) => `'${p}'`).join(", "));

export type QueueStats = {
  /** Rows due now (claimable or leased). */
  depth: number;
  /** Rows due now that nobody holds. */
  waiting: number;
  /** Rows currently leased by some worker. */
  leased: number;
  /** Seconds since the oldest due row became due (0 when none). */
  oldestDueAgeSeconds: number;
};

export async function queueStats(db: Pick<PrismaClient, "$queryRaw">): Promise<QueueStats> {
  const rows = await db.$queryRaw<{ depth: bigint | number; waiting: bigint | number; leased: bigint | number; age: number | null }[]>`
    SELECT count(*) FILTER (WHERE "nextReconcileAt" <= ${NOW_UTC}) AS depth,
           count(*) FILTER (WHERE "nextReconcileAt" <= ${NOW_UTC} AND ("leaseUntil" IS NULL OR "leaseUntil" < ${NOW_UTC})) AS waiting,
           count(*) FILTER (WHERE "leaseUntil" >= ${NOW_UTC}) AS leased,
           (EXTRACT(EPOCH FROM (${NOW_UTC} - min("nextReconcileAt") FILTER (WHERE "nextReconcileAt" <= ${NOW_UTC}))))::float8 AS age
      FROM "VirtualCluster"
     WHERE phase NOT IN (${PARKED_SQL})`;
  const r = rows[0];
  return {
    depth: Number(r?.depth ?? 0),
    waiting: Number(r?.waiting ?? 0),
    leased: Number(r?.leased ?? 0),
    oldestDueAgeSeconds: Math.max(0, Number(r?.age ?? 0)),
  };
}
