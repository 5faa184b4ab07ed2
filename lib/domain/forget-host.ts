import { z } from "zod";
import { recordAudit, recordClusterEvent } from "@/lib/domain/audit";
import { nextPhase } from "@/lib/lifecycle/phases";
import { AppError } from "@/lib/errors";
import type { ClusterPhase } from "@/lib/generated/prisma/enums";
import { PARKED_UNTIL } from "@/lib/domain/enqueue";
import { disableConfirmedHost } from "@/lib/domain/host-retirement";
import { defineUseCase } from "@/lib/domain/use-case";

export const ZForgetHost = z.object({
  hostId: z.string().min(1),
  confirm: z.string().trim().min(1, "Type the host's name to confirm"),
  reason: z.string().trim().min(3, "Say what happened to the host, so the owners of its clusters know").max(500, "Keep the reason under 500 characters"),
});
export type TForgetHost = z.input<typeof ZForgetHost>;

/** Clusters placed on a host that can still hold something there (pending requests are not placed yet). */
const ON_HOST: ClusterPhase[] = ["PROVISIONING", "READY", "SLEEPING", "DELETING", "FAILED"];

/**
 * An admin forgets a host that is gone for good (destroyed, unreachable for ever): draining it would wait on
 * API calls that can never succeed. The portal stops using it and ends the records of its clusters without
 * any host call: each becomes DELETED (its owner reads why on the timeline), which releases its team's quota
 * and its name; a step still running for one of them is fenced out (a new lease token, docs/reconciler.md).
 * Should the host come back after all, the orphan sweep removes what is left of those clusters once the host
 * is enabled again.
 */
export const forgetHost = defineUseCase({
  name: "host.forget",
  input: ZForgetHost,
  permission: { action: "host.manage", refusal: "Only admins can manage host clusters." },
  run: async (ctx, input) => {
    return ctx.db.$transaction(async (tx) => {
      const host = await disableConfirmedHost(tx, input);
      const clusters = await tx.virtualCluster.findMany({
        where: { hostClusterId: host.id, phase: { in: ON_HOST } },
        select: { id: true, name: true, teamId: true, phase: true, generation: true },
      });
      const message = `The host ${host.name} is gone for good (${input.reason}); ${ctx.actor.email} removed this cluster from the portal. Nothing could be cleaned up on the host.`;
      for (const c of clusters) {
        const n = await tx.virtualCluster.updateMany({
          where: { id: c.id, phase: c.phase, generation: c.generation },
          data: {
            // The phase machine's way to the end: delete, then deleted (lib/domain/cluster-phase.ts).
            phase: nextPhase(nextPhase(c.phase, "delete"), "deleted"),
            desiredState: "DELETED",
            deletedAt: new Date(),
            lastError: message,
            generation: { increment: 1 },
            attempts: 0,
            nextReconcileAt: PARKED_UNTIL,
            leaseOwner: null,
            leaseUntil: null,
            leaseToken: { increment: 1 },
          },
        });
        if (n.count !== 1) throw new AppError("CONFLICT", "A cluster on this host changed while forgetting it. Try again.");
        await recordClusterEvent(tx, c.id, "host-forgotten", message, ctx.actor.id);
        await recordAudit(tx, ctx, { action: "cluster.delete", targetType: "cluster", targetId: c.id, teamId: c.teamId, details: { name: c.name, by: "host forgotten", host: host.name } });
      }
      await recordAudit(tx, ctx, { action: "host.forget", targetType: "host", targetId: host.id, details: { name: host.name, reason: input.reason, clusters: clusters.length } });
      return { host: host.name, clusters: clusters.length };
    });
  },
});
