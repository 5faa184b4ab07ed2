import { z } from "zod";
import { AppError } from "@/lib/errors";
import { operateCluster } from "@/lib/domain/operate-cluster";
import { canExtend, mustBe } from "@/lib/lifecycle/commands";
import { HOUR_MS, extendLimit, lifetimeLimitsOf } from "@/lib/lifecycle/lifetime";
import { defineUseCase } from "@/lib/domain/use-case";

export const ZExtendCluster = z.object({
  clusterId: z.string().min(1),
  hours: z.coerce.number({ error: "Hours must be a number" }).int("Hours must be a whole number").min(1, "Extend by at least 1 hour"),
  // No fixed maximum here: the template's and the team's limits decide, and their message names them.
});

/** Push the expiry out, but never beyond the template's or the team's maximum lifetime counted from now. */
export const extendCluster = defineUseCase({
  name: "cluster.extend",
  input: ZExtendCluster,
  permission: { action: "cluster.operate", on: "cluster" },
  run: async (ctx, input) => {
    return operateCluster(ctx, input.clusterId, {
      permission: "cluster.operate",
      action: "cluster.extend",
      enqueue: false,
      decide: (c) => {
        const now = Date.now();
        const limits = lifetimeLimitsOf(c);
        mustBe(canExtend(c, limits, now));
        const limit = extendLimit(limits, now);
        const target = Math.max(now, c.expiresAt!.getTime()) + input.hours * HOUR_MS;
        if (target > limit.latest) throw new AppError("VALIDATION", "Please correct the highlighted fields.", { hours: [limit.message] });
        const expiresAt = new Date(target);
        return { data: { expiresAt }, event: "extended", message: `${ctx.actor.email} extended the lifetime by ${input.hours} h`, details: { hours: input.hours, expiresAt: expiresAt.toISOString() } };
      },
    });
  },
});
