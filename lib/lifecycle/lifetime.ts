import { format } from "date-fns";

// How long a cluster lives: the lifetime asked for (or the template's default), the template's and the
// team's maximums, and how far an extension may push the expiry.

export const HOUR_MS = 3600_000;

/** The lifetime a request asked for in its `ttlHours` parameter, or the template version's default. */
export function requestedLifetimeHours(parameters: unknown, defaultTtlHours: number): number {
  const ttl = (parameters as Record<string, unknown> | null)?.ttlHours;
  return typeof ttl === "number" && Number.isFinite(ttl) ? ttl : defaultTtlHours;
}

export const expiryAfter = (start: number, hours: number) => new Date(start + hours * HOUR_MS);

export type LifetimeLimits = {
  /** The template version's maximum lifetime (maxTtlHours). */
  templateMaxHours: number;
  templateName: string;
  /** The team's maximum lifetime (TeamQuota.maxLifetimeHours); null when the team has no quota row. */
  teamMaxHours: number | null;
};

/** The template version's and the team's maximum lifetimes of a loaded cluster row. */
export function lifetimeLimitsOf(c: { templateVersion: { maxTtlHours: number; template: { name: string } }; team: { quota: { maxLifetimeHours: number } | null } }): LifetimeLimits {
  return { templateMaxHours: c.templateVersion.maxTtlHours, templateName: c.templateVersion.template.name, teamMaxHours: c.team.quota?.maxLifetimeHours ?? null };
}

/** Why a requested lifetime is too long (naming the limit), or null when it is allowed. */
export function lifetimeRefusal(hours: number, limits: LifetimeLimits): string | null {
  if (hours > limits.templateMaxHours) return `${limits.templateName} clusters live at most ${limits.templateMaxHours} hours`;
  if (limits.teamMaxHours !== null && hours > limits.teamMaxHours) return `Your team's clusters live at most ${limits.teamMaxHours} hours`;
  return null;
}

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
 * How far a cluster's lifetime may be pushed, counted from now — never beyond the template's maximum nor
 * the team's (both "at most N hours from now", as the request form counts them).
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
