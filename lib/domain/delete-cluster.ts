import type { z } from "zod";
import { nextPhase } from "@/lib/domain/cluster-phase";
import type { DomainContext } from "@/lib/domain/context";
import { operateCluster } from "@/lib/domain/operate-cluster";
import { parseInput } from "@/lib/domain/parse-input";
import { ZClusterId } from "@/lib/domain/sleep-cluster";

/** Uninstall the release and delete the namespace; the phase becomes DELETED only once both are gone. */
export async function deleteCluster(ctx: DomainContext, raw: z.input<typeof ZClusterId>) {
  const { clusterId } = parseInput(ZClusterId, raw);
  return operateCluster(ctx, clusterId, {
    permission: "cluster.operate",
    action: "cluster.delete",
    decide: (c) => ({ data: { phase: nextPhase(c.phase, "delete"), desiredState: "DELETED", lastError: null }, event: "delete-requested", message: `${ctx.actor.email} deleted the cluster` }),
  });
}
