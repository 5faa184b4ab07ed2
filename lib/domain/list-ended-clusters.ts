import { clusterScope } from "@/lib/authz/permissions";
import type { DomainContext } from "@/lib/domain/context";
import type { ClusterPhase } from "@/lib/generated/prisma/enums";
import { ENDED_HISTORY_DAYS } from "@/lib/lifecycle/history";
import { TERMINAL_PHASES, phaseLabel } from "@/lib/lifecycle/phases";

// The lists of clusters show live ones only: a cluster leaves them once it is gone (deleted, expired or
// rejected). What ended recently stays findable here, with when and by whom it ended.
/** At most this many ended clusters are listed (newest first); the page says when there were more. */
export const HISTORY_LIMIT = 50;

/** Timeline events that end a cluster, and so name who ended it (none for a lifetime that ran out). */
const ENDING_EVENTS = ["delete-requested", "rejected", "expiring", "host-drained", "host-forgotten"];

export type TEndedCluster = {
  id: string;
  name: string;
  phase: ClusterPhase;
  phaseLabel: string;
  templateName: string;
  team: { id: string; name: string; slug: string };
  owner: { id: string; name: string | null; email: string };
  isMine: boolean;
  endedAt: Date;
  /** The person who deleted or rejected it; null when the portal did (lifetime over, no decision in time). */
  endedBy: { name: string | null; email: string } | null;
};

export type TEndedClusters = { items: TEndedCluster[]; more: boolean; days: number };

/**
 * Clusters that ended in the last ENDED_HISTORY_DAYS, newest first: the person's own and their teams' (as on the
 * home page), or one team's (`teamId`, for its page: the caller has checked the team is visible). Scoped in the
 * `where` like every list.
 */
export async function listEndedClusters(ctx: DomainContext, opts: { teamId?: string; now?: Date; limit?: number } = {}): Promise<TEndedClusters> {
  const since = new Date((opts.now ?? new Date()).getTime() - ENDED_HISTORY_DAYS * 86_400_000);
  const limit = opts.limit ?? HISTORY_LIMIT;
  const rows = await ctx.db.virtualCluster.findMany({
    where: {
      AND: [
        clusterScope(ctx.actor),
        opts.teamId ? { teamId: opts.teamId } : { OR: [{ ownerId: ctx.actor.id }, { teamId: { in: ctx.actor.memberships.map((m) => m.teamId) } }] },
        { phase: { in: TERMINAL_PHASES } },
        // updatedAt is the moment it ended (nothing changes an ended cluster), deletedAt where the host confirmed it.
        { OR: [{ deletedAt: { gte: since } }, { updatedAt: { gte: since } }] },
      ],
    },
    orderBy: [{ updatedAt: "desc" }, { id: "desc" }],
    take: limit + 1,
    select: {
      id: true,
      name: true,
      phase: true,
      deletedAt: true,
      updatedAt: true,
      team: { select: { id: true, name: true, slug: true } },
      owner: { select: { id: true, name: true, email: true } },
      templateVersion: { select: { template: { select: { name: true } } } },
    },
  });
  const items = rows.slice(0, limit);
  const enders = await whoEnded(ctx.db, items.map((r) => r.id));
  return {
    items: items.map((c) => ({
      id: c.id,
      name: c.name,
      phase: c.phase,
      phaseLabel: phaseLabel(c.phase),
      templateName: c.templateVersion.template.name,
      team: c.team,
      owner: c.owner,
      isMine: c.owner.id === ctx.actor.id,
      endedAt: c.deletedAt ?? c.updatedAt,
      endedBy: enders.get(c.id) ?? null,
    })),
    more: rows.length > limit,
    days: ENDED_HISTORY_DAYS,
  };
}

/** Per cluster, the person behind its last ending event (two queries for the whole page). */
async function whoEnded(db: DomainContext["db"], clusterIds: string[]): Promise<Map<string, { name: string | null; email: string }>> {
  if (clusterIds.length === 0) return new Map();
  const events = await db.clusterEvent.findMany({
    where: { clusterId: { in: clusterIds }, type: { in: ENDING_EVENTS } },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: { clusterId: true, actorId: true },
  });
  const lastActor = new Map(events.map((e) => [e.clusterId, e.actorId]));
  const actorIds = [...new Set([...lastActor.values()].filter((id): id is string => Boolean(id)))];
  const people = new Map((await db.user.findMany({ where: { id: { in: actorIds } }, select: { id: true, name: true, email: true } })).map((u) => [u.id, { name: u.name, email: u.email }]));
  const out = new Map<string, { name: string | null; email: string }>();
  for (const [clusterId, actorId] of lastActor) {
    const person = actorId ? people.get(actorId) : undefined;
    if (person) out.set(clusterId, person);
  }
  return out;
}
