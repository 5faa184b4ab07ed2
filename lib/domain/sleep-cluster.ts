import { z } from "zod";
import { operateCluster } from "@/lib/domain/operate-cluster";
import { canSleep, mustBe } from "@/lib/lifecycle/commands";
import { defineUseCase } from "@/lib/domain/use-case";

export const ZClusterId = z.object({ clusterId: z.string().min(1, "Which cluster?") });

/** Scale the control plane to zero; the reconciler marks it SLEEPING once done. */
export const sleepCluster = defineUseCase({
  name: "cluster.sleep",
  input: ZClusterId,
  permission: { action: "cluster.operate", on: "cluster" },
  run: async (ctx, { clusterId }) => {
    return operateCluster(ctx, clusterId, {
      permission: "cluster.operate",
      action: "cluster.sleep",
      decide: (c) => {
        mustBe(canSleep(c));
        return { data: { desiredState: "SLEEPING" }, event: "sleep-requested", message: `${ctx.actor.email} put the cluster to sleep` };
      },
    });
  },
});
