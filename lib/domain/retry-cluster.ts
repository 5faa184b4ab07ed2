import type { z } from "zod";
import { nextPhase } from "@/lib/domain/cluster-phase";
import { AppError } from "@/lib/errors";
import type { DomainContext } from "@/lib/domain/context";
import { operateCluster } from "@/lib/domain/operate-cluster";
import { parseInput } from "@/lib/domain/parse-input";
import { ZClusterId } from "@/lib/domain/sleep-cluster";

/** Try a failed cluster again: provisioning, or the deletion that failed. */
export async function retryCluster(ctx: DomainContext, raw: z.input<typeof ZClusterId>) {
  const { clusterId } = parseInput(ZClusterId, raw);
  return operateCluster(ctx, clusterId, {
    permission: "cluster.operate",
    action: "cluster.retry",
    decide: (c) => {
      if (c.phase !== "FAILED") throw new AppError("PRECONDITION_FAILED", "Only a failed cluster can be retried.");
      const phase = c.desiredState === "DELETED" ? "DELETING" : nextPhase(c.phase, "retry");
      return { data: { phase, lastError: null }, event: "retry-requested", message: `${ctx.actor.email} retried the cluster`, details: { previousError: c.lastError } };
    },
  });
}
