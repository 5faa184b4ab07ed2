import { z } from "zod";
import { nextPhase } from "@/lib/lifecycle/phases";
import { operateCluster } from "@/lib/domain/operate-cluster";
import { placeCluster } from "@/lib/domain/place-cluster";
import { canDecideApproval, mustBe } from "@/lib/lifecycle/commands";
import { expiryAfter, requestedLifetimeHours } from "@/lib/lifecycle/lifetime";
import { defineUseCase } from "@/lib/domain/use-case";

export const ZApproveRequest = z.object({
  clusterId: z.string().min(1),
  reason: z.string().trim().max(500, "Keep the reason under 500 characters").optional(),
});

/** An admin approves a pending request: it is placed on a host, its lifetime starts, and provisioning begins. */
export const approveRequest = defineUseCase({
  name: "cluster.approve",
  input: ZApproveRequest,
  permission: { action: "approval.decide", refusal: "Only admins can approve requests." },
  run: async (ctx, input) => {
    return operateCluster(ctx, input.clusterId, {
      permission: "approval.decide",
      action: "cluster.approve",
      decide: (c) => {
        mustBe(canDecideApproval(c));
        const ttl = requestedLifetimeHours(c.parameters, c.templateVersion.defaultTtlHours);
        return {
          data: { phase: nextPhase(c.phase, "approve"), expiresAt: expiryAfter(Date.now(), ttl) },
          event: "approved",
          message: `Approved by ${ctx.actor.email}${input.reason ? `: ${input.reason}` : ""}`,
          details: { reason: input.reason ?? null },
        };
      },
      afterUpdate: async (tx, c) => {
        const hostClusterId = await placeCluster(tx, { cpuMillicores: c.cpuMillicores, memoryMiB: c.memoryMiB, selector: c.templateVersion.template.hostSelector as Record<string, string> });
        await tx.virtualCluster.update({ where: { id: c.id }, data: { hostClusterId } });
        await tx.approvalDecision.create({ data: { clusterId: c.id, deciderId: ctx.actor.id, decision: "APPROVED", reason: input.reason } });
      },
    });
  },
});
