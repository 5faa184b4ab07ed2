import { nextPhase } from "@/lib/lifecycle/phases";
import { operateCluster } from "@/lib/domain/operate-cluster";
import { canDelete, mustBe } from "@/lib/lifecycle/commands";
import { ZClusterId } from "@/lib/domain/sleep-cluster";
import { defineUseCase } from "@/lib/domain/use-case";

/** Uninstall the release and delete the namespace; the phase becomes DELETED only once both are gone. */
export const deleteCluster = defineUseCase({
  name: "cluster.delete",
  input: ZClusterId,
  permission: { action: "cluster.operate", on: "cluster" },
  run: async (ctx, { clusterId }) => {
    return operateCluster(ctx, clusterId, {
      permission: "cluster.operate",
      action: "cluster.delete",
      decide: (c) => {
        mustBe(canDelete(c));
        return { data: { phase: nextPhase(c.phase, "delete"), desiredState: "DELETED", lastError: null }, event: "delete-requested", message: `${ctx.actor.email} deleted the cluster` };
      },
    });
  },
});
