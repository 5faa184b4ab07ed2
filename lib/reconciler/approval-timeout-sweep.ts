import { recordAudit, recordClusterEvent } from "@/lib/domain/audit";
import { nextPhase } from "@/lib/lifecycle/phases";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { log as rootLog, type Logger } from "@/lib/log";
import { phaseTransitions, sweepActions } from "@/lib/metrics/registry";
import { SYSTEM } from "./sweeps";

/**
 * Requests waiting for an admin longer than `timeoutHours` are rejected by the system (timeline, audit), so a
 * forgotten request stops holding the team's quota; the requester can simply ask again. 0 turns it off.
 */
export async function approvalTimeoutSweep(db: PrismaClient, opts: { timeoutHours: number; now?: Date; log?: Logger }): Promise<number> {
  if (opts.timeoutHours <= 0) return 0;
  const now = opts.now ?? new Date();
  const cutoff = new Date(now.getTime() - opts.timeoutHours * 3_600_000);
  const stale = await db.virtualCluster.findMany({
    where: { phase: "PENDING_APPROVAL", createdAt: { lt: cutoff } },
    select: { id: true, name: true, teamId: true, phase: true, generation: true },
    orderBy: { createdAt: "asc" },
    take: 500,
  });
  let rejected = 0;
  for (const c of stale) {
    const reason = `No admin decided within ${opts.timeoutHours} hours; request it again if you still need it`;
    const done = await db.$transaction(async (tx) => {
      const n = await tx.virtualCluster.updateMany({
        where: { id: c.id, phase: "PENDING_APPROVAL", generation: c.generation },
        data: { phase: nextPhase(c.phase, "reject"), desiredState: "DELETED", lastError: null },
      });
      if (n.count !== 1) return false;
      await recordClusterEvent(tx, c.id, "rejected", `Rejected automatically: ${reason}`);
      await recordAudit(tx, SYSTEM, { action: "cluster.reject", targetType: "cluster", targetId: c.id, teamId: c.teamId, details: { name: c.name, reason, by: "approval timeout" } });
      return true;
    });
    if (done) {
      rejected++;
      phaseTransitions.inc({ from: "PENDING_APPROVAL", to: "REJECTED" });
      sweepActions.inc({ action: "approval-timeout" });
      (opts.log ?? rootLog).info({ clusterId: c.id }, `request ${c.name} rejected: no decision within ${opts.timeoutHours} h`);
    }
  }
  return rejected;
}

