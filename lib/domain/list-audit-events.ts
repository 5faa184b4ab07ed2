import { TZDate } from "@date-fns/tz";
import { z } from "zod";
import { can } from "@/lib/authz/permissions";
import type { DomainContext } from "@/lib/domain/context";
import { decodeCursor, keysetPageFields, optionalFilter, newerThan, olderThan, type Page, toPage } from "@/lib/domain/keyset-cursor";
import { parseInput } from "@/lib/domain/parse-input";
import { forbidden } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import { validTimeZone } from "@/lib/time-zone";

// One message per bad date: the calendar check runs only on text shaped like a date.
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: "Use a date like 2026-01-31", abort: true }).refine(isCalendarDay, "Not a valid date");

/** 2026-02-31 parses (as 3 March), so the day must survive the round trip. */
function isCalendarDay(v: string): boolean {
  const t = Date.parse(`${v}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === v;
}

export const ZListAuditEvents = z
  .object({
    actor: optionalFilter(z.string().max(254).toLowerCase()),
    team: optionalFilter(z.string().max(100)),
    action: optionalFilter(z.string().max(100)),
    from: optionalFilter(day),
    to: optionalFilter(day),
    /** The person's time zone: "from" and "to" are their days there (the page passes the tz cookie). */
    timeZone: z.string().max(64).refine((v) => validTimeZone(v) !== null, "Unknown time zone").default("UTC"),
    ...keysetPageFields,
  })
  .refine((v) => !(v.from && v.to && v.from > v.to), { message: "The start date is after the end date", path: ["to"] });
export type TListAuditEvents = z.input<typeof ZListAuditEvents>;

const select = {
  id: true,
  createdAt: true,
  actorEmail: true,
  action: true,
  targetType: true,
  targetId: true,
  ip: true,
  requestId: true,
  details: true,
  team: { select: { slug: true, name: true } },
  actor: { select: { name: true } },
} satisfies Prisma.AuditEventSelect;

export type AuditRow = Prisma.AuditEventGetPayload<{ select: typeof select }>;

/**
 * The audit log, newest first, for admins. Dates are whole days in `timeZone` ("to" is inclusive). The actor is an
 * e-mail; events keep the e-mail even after the user is deleted, so the filter matches on it.
 */
export async function listAuditEvents(ctx: DomainContext, raw: TListAuditEvents): Promise<Page<AuditRow>> {
  if (!can(ctx.actor, "audit.view")) throw forbidden("Only admins can read the audit log.");
  const input = parseInput(ZListAuditEvents, raw);

  const where: Prisma.AuditEventWhereInput[] = [];
  if (input.actor) {
    // Prefer the indexed actorId when the e-mail belongs to a user; "system" and deleted users match by e-mail.
    const user = await ctx.db.user.findUnique({ where: { email: input.actor }, select: { id: true } });
    where.push(user ? { actorId: user.id } : { actorEmail: input.actor });
  }
  if (input.team) {
    const team = await ctx.db.team.findUnique({ where: { slug: input.team }, select: { id: true } });
    if (!team) return { items: [], olderCursor: null, newerCursor: null };
    where.push({ teamId: team.id });
  }
  if (input.action) {
    const actions = matchingActions(input.action, await distinctActions(ctx.db));
    if (actions.length === 0) return { items: [], olderCursor: null, newerCursor: null };
    where.push({ action: { in: actions } });
  }
  if (input.from) where.push({ createdAt: { gte: startOfDayIn(input.from, input.timeZone, 0) } });
  if (input.to) where.push({ createdAt: { lt: startOfDayIn(input.to, input.timeZone, 1) } });

  const direction = input.before ? "newer" : "older";
  const cursor = input.before ?? input.after;
  if (cursor) {
    const c = decodeCursor(cursor);
    where.push(direction === "older" ? olderThan(c) : newerThan(c));
  }
  const order = direction === "older" ? "desc" : "asc";
  const rows = await ctx.db.auditEvent.findMany({ where: { AND: where }, orderBy: [{ createdAt: order }, { id: order }], take: input.limit + 1, select });
  return toPage(rows, input.limit, direction, Boolean(cursor));
}

/** Distinct action names for the filter's picker. */
export async function auditActionNames(ctx: DomainContext): Promise<string[]> {
  if (!can(ctx.actor, "audit.view")) throw forbidden("Only admins can read the audit log.");
  return distinctActions(ctx.db);
}

/** A loose index scan over AuditEvent_action_createdAt_idx: one index probe per distinct action. */
async function distinctActions(db: DomainContext["db"]): Promise<string[]> {
  const rows = await db.$queryRaw<{ action: string }[]>`
    WITH RECURSIVE a AS (
      (SELECT action FROM "AuditEvent" ORDER BY action LIMIT 1)
      UNION ALL
      SELECT (SELECT action FROM "AuditEvent" WHERE action > a.action ORDER BY action LIMIT 1) FROM a WHERE a.action IS NOT NULL
    )
    SELECT action FROM a WHERE action IS NOT NULL LIMIT 200`;
  return rows.map((r) => r.action);
}

/**
 * Pure: the actions an action filter finds. It matches whole dotted segments, in any letter case, so people
 * need not know the exact ids: `cluster.sleep` is found by `cluster.sleep`, `sleep`, `Sleep` and `cluster`;
 * `quota` finds `team.quota.update`. Never a bare substring (`lee` does not find `cluster.sleep`).
 */
export function matchingActions(filter: string, actions: readonly string[]): string[] {
  const f = filter.trim().toLowerCase().replace(/^\.+|\.+$/g, "");
  if (f === "") return [...actions];
  return actions.filter((a) => {
    const name = a.toLowerCase();
    return name === f || name.startsWith(`${f}.`) || name.endsWith(`.${f}`) || name.includes(`.${f}.`);
  });
}

/** The instant a day (plus `addDays`) begins in a time zone; a DST change at midnight moves it, as the zone does. */
function startOfDayIn(day: string, timeZone: string, addDays: number): Date {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  return new Date(new TZDate(y, m - 1, d + addDays, timeZone).getTime());
}
