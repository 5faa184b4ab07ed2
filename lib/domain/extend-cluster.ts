import { format } from "date-fns";
import { z } from "zod";
import { AppError } from "@/lib/errors";
import type { DomainContext } from "@/lib/domain/context";
import { operateCluster } from "@/lib/domain/operate-cluster";
import { parseInput } from "@/lib/domain/parse-input";

export const ZExtendCluster = z.object({
  clusterId: z.string().min(1),
  hours: z.coerce.number({ error: "Hours must be a number" }).int("Hours must be a whole number").min(1, "Extend by at least 1 hour").max(720, "Extend by at most 720 hours"),
});

/** Push the expiry out, but never beyond the template's maximum lifetime counted from now. */
export async function extendCluster(ctx: DomainContext, raw: z.input<typeof ZExtendCluster>) {
  const input = parseInput(ZExtendCluster, raw);
  return operateCluster(ctx, input.clusterId, {
    permission: "cluster.operate",
    action: "cluster.extend",
    enqueue: false,
    decide: (c) => {
      if (!["READY", "SLEEPING", "PROVISIONING"].includes(c.phase) || !c.expiresAt) throw new AppError("PRECONDITION_FAILED", "Only a running or sleeping cluster can be extended.");
      const now = Date.now();
      const limit = now + c.templateVersion.maxTtlHours * 3600_000;
      const target = Math.max(now, c.expiresAt.getTime()) + input.hours * 3600_000;
      if (target > limit)
        throw new AppError("VALIDATION", "Please correct the highlighted fields.", {
          hours: [`${c.templateVersion.template.name} clusters live at most ${c.templateVersion.maxTtlHours} hours from now: you can extend until ${format(limit, "PPpp")}`],
        });
      const expiresAt = new Date(target);
      return { data: { expiresAt }, event: "extended", message: `${ctx.actor.email} extended the lifetime by ${input.hours} h`, details: { hours: input.hours, expiresAt: expiresAt.toISOString() } };
    },
  });
}
