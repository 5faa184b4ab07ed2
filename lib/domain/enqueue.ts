import type { Prisma } from "@/lib/generated/prisma/client";

export const RECONCILE_CHANNEL = "vcp_reconcile";

/** "Not before the end of time": the nextReconcileAt of rows no worker should claim (awaiting a person, or ended). */
export const PARKED_UNTIL = new Date("9999-01-01T00:00:00Z");

/**
 * Record a change of intent and make the cluster due now. Workers poll `nextReconcileAt`; the NOTIFY
 * (delivered on commit) only wakes them early.
 */
export async function enqueueReconcile(tx: Prisma.TransactionClient, clusterId: string) {
  await tx.virtualCluster.update({
    where: { id: clusterId },
    data: { generation: { increment: 1 }, nextReconcileAt: new Date(), attempts: 0 },
  });
  await tx.$executeRaw`SELECT pg_notify(${RECONCILE_CHANNEL}, ${clusterId})`;
}
