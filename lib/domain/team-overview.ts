import { z } from "zod";
import { can, visibleTeamIds } from "@/lib/authz/permissions";
import { LIVE_PHASES } from "@/lib/lifecycle/phases";
import type { DomainContext } from "@/lib/domain/context";
import { parseInput } from "@/lib/domain/parse-input";
import { teamUsage } from "@/lib/domain/quota";
import { type Resources, reservedBy } from "@/lib/lifecycle/quota";
import { notFound } from "@/lib/errors";

export const ZTeamOverview = z.object({ slug: z.string().trim().min(1).max(100) });

export const USAGE_HISTORY_DAYS = 30;
const DAY_MS = 86_400_000;

export type UsagePoint = { day: string; live: boolean; clusters: number | null; cpuMillicores: number | null; memoryMiB: number | null };

/** UTC calendar day "YYYY-MM-DD". */
export const dayKey = (d: Date) => d.toISOString().slice(0, 10);

/**
 * Pure: one point per day for the last `days` days ending today. Days without a snapshot carry nulls
 * (the chart draws a gap rather than a made-up zero); today is the live figure.
 */
export function usageSeries(snapshots: (Resources & { day: Date })[], today: Resources, now: Date, days = USAGE_HISTORY_DAYS): UsagePoint[] {
  const byDay = new Map(snapshots.map((s) => [dayKey(s.day), s]));
  const points: UsagePoint[] = [];
  for (let i = days - 1; i >= 1; i--) {
    const key = dayKey(new Date(now.getTime() - i * DAY_MS));
    const s = byDay.get(key);
    points.push({ day: key, live: false, clusters: s?.clusters ?? null, cpuMillicores: s?.cpuMillicores ?? null, memoryMiB: s?.memoryMiB ?? null });
  }
  points.push({ day: dayKey(now), live: true, ...today });
  return points;
}

/**
 * Everything the team page shows, for the team's members and admins. Anyone else gets "not found",
 * exactly as for a team that does not exist: the lookup is scoped to the actor's teams in its `where`,
 * so both run the same single query, find no row and throw the same error (the quota and everything
 * else is read only after that, for a team the actor may see).
 */
/**
 * The team named by `slug` if the actor may see it; NOT_FOUND (after the same single query) for a team that
 * does not exist and for one the actor is not in alike.
 */
export async function visibleTeam(ctx: DomainContext, raw: z.input<typeof ZTeamOverview>) {
  const { slug } = parseInput(ZTeamOverview, raw);
  const visible = visibleTeamIds(ctx.actor);
  const team = await ctx.db.team.findFirst({
    where: { slug, ...(visible === "all" ? {} : { id: { in: visible } }) },
    // No relations here: Prisma would run a second query for them (even for no row).
    select: { id: true, slug: true, name: true },
  });
  if (!team || !can(ctx.actor, "team.view", { teamId: team.id })) throw notFound("Team");
  return team;
}

export async function getTeamOverview(ctx: DomainContext, raw: z.input<typeof ZTeamOverview>, now: Date = new Date()) {
  const team = await visibleTeam(ctx, raw);

  const since = new Date(Date.parse(`${dayKey(new Date(now.getTime() - (USAGE_HISTORY_DAYS - 1) * DAY_MS))}T00:00:00Z`));
  const [quota, usage, clusters, snapshots, members] = await Promise.all([
    ctx.db.teamQuota.findUnique({ where: { teamId: team.id } }),
    teamUsage(ctx.db, team.id),
    ctx.db.virtualCluster.findMany({
      where: { teamId: team.id, phase: { in: LIVE_PHASES } },
      orderBy: [{ createdAt: "asc" }],
      select: {
        id: true,
        name: true,
        phase: true,
        cpuMillicores: true,
        memoryMiB: true,
        expiresAt: true,
        createdAt: true,
        owner: { select: { id: true, email: true, name: true } },
        templateVersion: { select: { version: true, expiryAction: true, template: { select: { name: true, slug: true } } } },
      },
    }),
    ctx.db.usageSnapshot.findMany({ where: { teamId: team.id, day: { gte: since } }, orderBy: { day: "asc" } }),
    ctx.db.membership.findMany({
      where: { teamId: team.id },
      select: { role: true, createdAt: true, user: { select: { id: true, email: true, name: true } } },
    }),
  ]);

  type Owner = { owner: (typeof clusters)[number]["owner"]; clusters: typeof clusters; reserved: Resources };
  const owners = new Map<string, Owner>();
  for (const c of clusters) {
    const o = owners.get(c.owner.id) ?? { owner: c.owner, clusters: [], reserved: { clusters: 0, cpuMillicores: 0, memoryMiB: 0 } };
    o.clusters.push(c);
    o.reserved.clusters += 1;
    o.reserved.cpuMillicores += c.cpuMillicores;
    o.reserved.memoryMiB += c.memoryMiB;
    owners.set(c.owner.id, o);
  }
  const horizon = now.getTime() + DAY_MS;
  const expiringSoon = clusters
    .filter((c) => c.expiresAt && c.phase !== "DELETING" && c.expiresAt.getTime() <= horizon)
    .sort((a, b) => a.expiresAt!.getTime() - b.expiresAt!.getTime());

  return {
    team: { id: team.id, slug: team.slug, name: team.name },
    quota: quota
      ? {
          maxClusters: quota.maxClusters,
          cpuMillicores: quota.cpuMillicores,
          memoryMiB: quota.memoryMiB,
          maxLifetimeHours: quota.maxLifetimeHours,
          approvalThresholdPercent: quota.approvalThresholdPercent,
        }
      : null,
    usage,
    byOwner: [...owners.values()].sort((a, b) => b.reserved.cpuMillicores - a.reserved.cpuMillicores || a.owner.email.localeCompare(b.owner.email)),
    expiringSoon,
    // The daily snapshots count every live cluster, waiting ones too: today's point does the same.
    history: usageSeries(snapshots, reservedBy(usage), now),
    members: members
      .map((m) => ({ ...m.user, role: m.role, since: m.createdAt }))
      .sort((a, b) => (a.role === b.role ? a.email.localeCompare(b.email) : a.role === "LEAD" ? -1 : 1)),
    canManage: can(ctx.actor, "team.manage", { teamId: team.id }),
  };
}

export type TeamOverview = Awaited<ReturnType<typeof getTeamOverview>>;
