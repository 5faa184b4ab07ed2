import type { z } from "zod";
import { nextPhase } from "@/lib/domain/cluster-phase";
import type { DomainContext } from "@/lib/domain/context";
import { operateCluster } from "@/lib/domain/operate-cluster";
import { parseInput } from "@/lib/domain/parse-input";
import { ZClusterId } from "@/lib/domain/sleep-cluster";

/** Bring a sleeping cluster back; it goes through PROVISIONING until the control plane is ready again. */
export async function wakeCluster(ctx: DomainContext, raw: z.input<typeof ZClusterId>) {
  const { clusterId } = parseInput(ZClusterId, raw);
  return operateCluster(ctx, clusterId, {
    permission: "cluster.operate",
    action: "cluster.wake",
    decide: (c) => ({ data: { phase: nextPhase(c.phase, "wake"), desiredState: "RUNNING", lastError: null }, event: "wake-requested", message: `${ctx.actor.email} woke the cluster` }),
  });
}
