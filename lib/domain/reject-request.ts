import { z } from "zod";
import { can } from "@/lib/authz/permissions";
import { nextPhase } from "@/lib/domain/cluster-phase";
import type { DomainContext } from "@/lib/domain/context";
import { operateCluster } from "@/lib/domain/operate-cluster";
import { parseInput } from "@/lib/domain/parse-input";
import { forbidden } from "@/lib/errors";

export const ZRejectRequest = z.object({
  clusterId: z.string().min(1),
  reason: z.string({ error: "Say why, so the requester can act on it" }).trim().min(3, "Say why, so the requester can act on it").max(500, "Keep the reason under 500 characters"),
});

/** An admin rejects a pending request with a reason the requester will see; its quota reservation ends. */
export async function rejectRequest(ctx: DomainContext, raw: z.input<typeof ZRejectRequest>) {
  const input = parseInput(ZRejectRequest, raw);
  if (!can(ctx.actor, "approval.decide")) throw forbidden("Only admins can reject requests.");
  return operateCluster(ctx, input.clusterId, {
    permission: "approval.decide",
    action: "cluster.reject",
    enqueue: false,
    decide: (c) => ({
      data: { phase: nextPhase(c.phase, "reject"), desiredState: "DELETED", lastError: null },
      event: "rejected",
      message: `Rejected by ${ctx.actor.email}: ${input.reason}`,
      details: { reason: input.reason },
    }),
    afterUpdate: async (tx, c) => {
      await tx.approvalDecision.create({ data: { clusterId: c.id, deciderId: ctx.actor.id, decision: "REJECTED", reason: input.reason } });
    },
  });
}
