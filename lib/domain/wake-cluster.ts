import { nextPhase } from "@/lib/lifecycle/phases";
import { operateCluster } from "@/lib/domain/operate-cluster";
import { canWake, mustBe } from "@/lib/lifecycle/commands";
import { ZClusterId } from "@/lib/domain/sleep-cluster";
import { defineUseCase } from "@/lib/domain/use-case";

/** Bring a sleeping cluster back; it goes through PROVISIONING until the control plane is ready again. */
export const wakeCluster = defineUseCase({
  name: "cluster.wake",
  input: ZClusterId,
  permission: { action: "cluster.operate", on: "cluster" },
  run: async (ctx, { clusterId }) => {
    return operateCluster(ctx, clusterId, {
      permission: "cluster.operate",
      action: "cluster.wake",
      decide: (c) => {
        mustBe(canWake(c));
        return { data: { phase: nextPhase(c.phase, "wake"), desiredState: "RUNNING", lastError: null }, event: "wake-requested", message: `${ctx.actor.email} woke the cluster` };
      },
    });
  },
});
