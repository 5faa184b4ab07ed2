import { z } from "zod";
import { can } from "@/lib/authz/permissions";
import { nextPhase } from "@/lib/domain/cluster-phase";
import type { DomainContext } from "@/lib/domain/context";
import { operateCluster } from "@/lib/domain/operate-cluster";
import { parseInput } from "@/lib/domain/parse-input";
import { placeCluster } from "@/lib/domain/place-cluster";
import { forbidden } from "@/lib/errors";

export const ZApproveRequest = z.object({
  clusterId: z.string().min(1),
  reason: z.string().trim().max(500, "Keep the reason under 500 characters").optional(),
});

/** An admin approves a pending request: it is placed on a host, its lifetime starts, and provisioning begins. */
export async function approveRequest(ctx: DomainContext, raw: z.input<typeof ZApproveRequest>) {
  const input = parseInput(ZApproveRequest, raw);
  if (!can(ctx.actor, "approval.decide")) throw forbidden("Only admins can approve requests.");
  return operateCluster(ctx, input.clusterId, {
    permission: "approval.decide",
    action: "cluster.approve",
    decide: (c) => {
      const ttl = Number((c.parameters as Record<string, unknown>).ttlHours ?? c.templateVersion.defaultTtlHours);
      return {
        data: { phase: nextPhase(c.phase, "approve"), expiresAt: new Date(Date.now() + ttl * 3600_000) },
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
}
