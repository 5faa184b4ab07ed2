import { z } from "zod";
import { AppError } from "@/lib/errors";
import type { DomainContext } from "@/lib/domain/context";
import { operateCluster } from "@/lib/domain/operate-cluster";
import { parseInput } from "@/lib/domain/parse-input";

export const ZClusterId = z.object({ clusterId: z.string().min(1, "Which cluster?") });

/** Scale the control plane to zero; the reconciler marks it SLEEPING once done. */
export async function sleepCluster(ctx: DomainContext, raw: z.input<typeof ZClusterId>) {
  const { clusterId } = parseInput(ZClusterId, raw);
  return operateCluster(ctx, clusterId, {
    permission: "cluster.operate",
    action: "cluster.sleep",
    decide: (c) => {
      if (c.phase !== "READY" || c.desiredState !== "RUNNING") throw new AppError("PRECONDITION_FAILED", "Only a ready cluster can be put to sleep.");
      return { data: { desiredState: "SLEEPING" }, event: "sleep-requested", message: `${ctx.actor.email} put the cluster to sleep` };
    },
  });
}
