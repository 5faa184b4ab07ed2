import { z } from "zod";
import { nextPhase } from "@/lib/lifecycle/phases";
import { operateCluster } from "@/lib/domain/operate-cluster";
import { canDecideApproval, mustBe } from "@/lib/lifecycle/commands";
import { defineUseCase } from "@/lib/domain/use-case";

export const ZRejectRequest = z.object({
  clusterId: z.string().min(1),
  reason: z.string({ error: "Say why, so the requester can act on it" }).trim().min(3, "Say why, so the requester can act on it").max(500, "Keep the reason under 500 characters"),
});

/** An admin rejects a pending request with a reason the requester will see; its quota reservation ends. */
export const rejectRequest = defineUseCase({
  name: "cluster.reject",
  input: ZRejectRequest,
  permission: { action: "approval.decide", refusal: "Only admins can reject requests." },
  run: async (ctx, input) => {
    return operateCluster(ctx, input.clusterId, {
      permission: "approval.decide",
      action: "cluster.reject",
      enqueue: false,
      decide: (c) => {
        mustBe(canDecideApproval(c));
        return {
          data: { phase: nextPhase(c.phase, "reject"), desiredState: "DELETED", lastError: null },
          event: "rejected",
          message: `Rejected by ${ctx.actor.email}: ${input.reason}`,
          details: { reason: input.reason },
        };
      },
      afterUpdate: async (tx, c) => {
        await tx.approvalDecision.create({ data: { clusterId: c.id, deciderId: ctx.actor.id, decision: "REJECTED", reason: input.reason } });
      },
    });
  },
});
