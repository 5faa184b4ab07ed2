import { z } from "zod";
import { recordAudit, recordClusterEvent } from "@/lib/domain/audit";
import { LIVE_PHASES, nextPhase } from "@/lib/lifecycle/phases";
import { enqueueReconcile } from "@/lib/domain/enqueue";
import { AppError } from "@/lib/errors";
import { disableConfirmedHost } from "@/lib/domain/host-retirement";
import { defineUseCase } from "@/lib/domain/use-case";

export const ZDrainHost = z.object({
  hostId: z.string().min(1),
  confirm: z.string().trim().min(1, "Type the host's name to confirm"),
  reason: z.string().trim().min(3, "Say why, so the owners of its clusters know").max(500, "Keep the reason under 500 characters"),
});
export type TDrainHost = z.input<typeof ZDrainHost>;

/**
 * An admin empties a host before retiring or repairing it: it stops taking clusters, and every virtual cluster
 * on it ends (a vCluster's control plane and data live on its host, so there is nothing to move). Each owner
 * sees why on the cluster's timeline; each cluster is audited. Pending requests are not on a host yet.
 */
export const drainHost = defineUseCase({
  name: "host.drain",
  input: ZDrainHost,
  permission: { action: "host.manage", refusal: "Only admins can manage host clusters." },
  run: async (ctx, input) => {
    return ctx.db.$transaction(async (tx) => {
      const host = await disableConfirmedHost(tx, input);
      const clusters = await tx.virtualCluster.findMany({
        where: { hostClusterId: host.id, phase: { in: LIVE_PHASES.filter((p) => p !== "PENDING_APPROVAL" && p !== "DELETING") } },
        select: { id: true, name: true, teamId: true, phase: true, generation: true },
      });
      for (const c of clusters) {
        const n = await tx.virtualCluster.updateMany({
          where: { id: c.id, phase: c.phase, generation: c.generation },
          data: { phase: nextPhase(c.phase, "delete"), desiredState: "DELETED", lastError: null },
        });
        if (n.count !== 1) throw new AppError("CONFLICT", "A cluster on this host changed while draining it. Try again.");
        await recordClusterEvent(tx, c.id, "host-drained", `The host ${host.name} is being emptied by ${ctx.actor.email}: ${input.reason}. This cluster is removed.`, ctx.actor.id);
        await recordAudit(tx, ctx, { action: "cluster.delete", targetType: "cluster", targetId: c.id, teamId: c.teamId, details: { name: c.name, by: "host drain", host: host.name } });
        await enqueueReconcile(tx, c.id);
      }
      await recordAudit(tx, ctx, { action: "host.drain", targetType: "host", targetId: host.id, details: { name: host.name, reason: input.reason, clusters: clusters.length } });
      return { host: host.name, clusters: clusters.length };
    });
  },
});
