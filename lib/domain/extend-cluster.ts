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

const HOUR_MS = 3600_000;

export type LifetimeLimits = {
  /** The template version's maximum lifetime (maxTtlHours). */
  templateMaxHours: number;
  templateName: string;
  /** The team's maximum lifetime (TeamQuota.maxLifetimeHours); null when the team has no quota row. */
  teamMaxHours: number | null;
};

export type ExtendLimit = {
  /** The latest expiry an extension may set (epoch ms). */
  latest: number;
  /** Which maximum sets it: the smaller of the two (the template's when they are equal). */
  by: "template" | "team";
  maxHours: number;
  /** Why an expiry past `latest` is refused, naming the limit and the latest allowed time. */
  message: string;
};

/**
 * Pure: how far a cluster's lifetime may be pushed, counted from now — never beyond the template's maximum
 * nor the team's (both "at most N hours from now", as the request form counts them).
 */
export function extendLimit(limits: LifetimeLimits, now: number): ExtendLimit {
  const team = limits.teamMaxHours;
  const by = team !== null && team < limits.templateMaxHours ? "team" : "template";
  const maxHours = by === "team" ? team! : limits.templateMaxHours;
  const latest = now + maxHours * HOUR_MS;
  const when = format(latest, "PPpp");
  const message =
    by === "team"
      ? `Your team's clusters live at most ${maxHours} hours from now (the team's maximum lifetime): you can extend until ${when}`
      : `${limits.templateName} clusters live at most ${maxHours} hours from now (the template's maximum lifetime): you can extend until ${when}`;
  return { latest, by, maxHours, message };
}

/** Whole hours a cluster expiring at `expiresAt` can still be extended by (0 when none, or no expiry). */
export function extendableHours(expiresAt: Date | null, limits: LifetimeLimits, now: number): number {
  if (!expiresAt) return 0;
  const { latest } = extendLimit(limits, now);
  return Math.max(0, Math.floor((latest - Math.max(now, expiresAt.getTime())) / HOUR_MS));
}

/** Push the expiry out, but never beyond the template's or the team's maximum lifetime counted from now. */
export async function extendCluster(ctx: DomainContext, raw: z.input<typeof ZExtendCluster>) {
  const input = parseInput(ZExtendCluster, raw);
  return operateCluster(ctx, input.clusterId, {
    permission: "cluster.operate",
    action: "cluster.extend",
    enqueue: false,
    decide: (c) => {
      if (!["READY", "SLEEPING", "PROVISIONING"].includes(c.phase) || !c.expiresAt) throw new AppError("PRECONDITION_FAILED", "Only a running or sleeping cluster can be extended.");
      const now = Date.now();
      const limit = extendLimit(
        { templateMaxHours: c.templateVersion.maxTtlHours, templateName: c.templateVersion.template.name, teamMaxHours: c.team.quota?.maxLifetimeHours ?? null },
        now,
      );
      const target = Math.max(now, c.expiresAt.getTime()) + input.hours * HOUR_MS;
      if (target > limit.latest) throw new AppError("VALIDATION", "Please correct the highlighted fields.", { hours: [limit.message] });
      const expiresAt = new Date(target);
      return { data: { expiresAt }, event: "extended", message: `${ctx.actor.email} extended the lifetime by ${input.hours} h`, details: { hours: input.hours, expiresAt: expiresAt.toISOString() } };
    },
  });
}
