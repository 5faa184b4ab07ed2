import { nextPhase } from "@/lib/lifecycle/phases";
import { operateCluster } from "@/lib/domain/operate-cluster";
import { canRetry, mustBe } from "@/lib/lifecycle/commands";
import { ZClusterId } from "@/lib/domain/sleep-cluster";
import { defineUseCase } from "@/lib/domain/use-case";

/** Try a failed cluster again: provisioning, or the deletion that failed. */
export const retryCluster = defineUseCase({
  name: "cluster.retry",
  input: ZClusterId,
  permission: { action: "cluster.operate", on: "cluster" },
  run: async (ctx, { clusterId }) => {
    return operateCluster(ctx, clusterId, {
      permission: "cluster.operate",
      action: "cluster.retry",
      decide: (c) => {
        mustBe(canRetry(c));
        const phase = c.desiredState === "DELETED" ? "DELETING" : nextPhase(c.phase, "retry");
        return { data: { phase, lastError: null }, event: "retry-requested", message: `${ctx.actor.email} retried the cluster`, details: { previousError: c.lastError } };
      },
    });
  },
});
