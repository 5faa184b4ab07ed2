import { clusterScope } from "@/lib/authz/permissions";
import { LIVE_PHASES, TERMINAL_PHASES, stateLabel } from "@/lib/lifecycle/phases";
import type { DomainContext } from "@/lib/domain/context";
import type { ClusterPhase } from "@/lib/generated/prisma/enums";

/** How long an ended cluster (deleted, rejected, expired) stays in GET /api/v1/clusters, so a script sees its fate. */
export const RECENTLY_ENDED_HOURS = 24;

export type TClusterSummary = {
  id: string;
  name: string;
  phase: ClusterPhase;
  phaseLabel: string;
  templateName: string;
  templateSlug: string;
  team: { id: string; name: string; slug: string };
  owner: { id: string; name: string | null; email: string };
  isMine: boolean;
  expiresAt: Date | null;
  createdAt: Date;
  lastError: string | null;
  ended: boolean;
};

/**
 * The person's own clusters and their teams' clusters (admins see the same here; the full list lives in
 * the admin area): live ones, plus those that ended in the last day unless `recentlyEnded` is false (the home
 * page lists live ones only; lib/domain/list-ended-clusters.ts is its history). Scoped in the `where`.
 */
export async function listMyClusters(ctx: DomainContext, opts: { limit?: number; now?: Date; recentlyEnded?: boolean } = {}): Promise<TClusterSummary[]> {
  const since = opts.recentlyEnded === false ? null : new Date((opts.now ?? new Date()).getTime() - RECENTLY_ENDED_HOURS * 3600_000);
  const rows = await ctx.db.virtualCluster.findMany({
    where: {
      AND: [
        clusterScope(ctx.actor),
        { OR: [{ ownerId: ctx.actor.id }, { teamId: { in: ctx.actor.memberships.map((m) => m.teamId) } }] },
        since ? { OR: [{ phase: { in: LIVE_PHASES } }, { phase: { in: TERMINAL_PHASES }, updatedAt: { gte: since } }] } : { phase: { in: LIVE_PHASES } },
      ],
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: opts.limit ?? 100,
    select: {
      id: true,
      name: true,
      phase: true,
      desiredState: true,
      readyAt: true,
      expiresAt: true,
      createdAt: true,
      lastError: true,
      team: { select: { id: true, name: true, slug: true } },
      owner: { select: { id: true, name: true, email: true } },
      templateVersion: { select: { template: { select: { name: true, slug: true } } } },
    },
  });
  const rank = (c: (typeof rows)[number]) => (TERMINAL_PHASES.includes(c.phase) ? 1 : 0);
  return rows
    .map((c) => ({
      id: c.id,
      name: c.name,
      phase: c.phase,
      phaseLabel: stateLabel(c),
      templateName: c.templateVersion.template.name,
      templateSlug: c.templateVersion.template.slug,
      team: c.team,
      owner: c.owner,
      isMine: c.owner.id === ctx.actor.id,
      expiresAt: c.expiresAt,
      createdAt: c.createdAt,
      lastError: c.lastError,
      ended: rank(c) === 1,
    }))
    .sort((a, b) => Number(a.ended) - Number(b.ended));
}
