import { z } from "zod";
import { can } from "@/lib/authz/permissions";
import { LIVE_PHASES } from "@/lib/lifecycle/phases";
import type { DomainContext } from "@/lib/domain/context";
import { blankToUndefined } from "@/lib/domain/keyset-cursor";
import { parseInput } from "@/lib/domain/parse-input";
import { forbidden } from "@/lib/errors";

export const ZListTeams = z.object({
  q: z.preprocess(blankToUndefined, z.string().max(100).toLowerCase().optional()),
  /** Keyset on slug: the last slug of the previous page. */
  after: z.preprocess(blankToUndefined, z.string().max(100).optional()),
  limit: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(200).default(50)),
});
export type TListTeams = z.input<typeof ZListTeams>;

/** Teams with quota and reserved use, for the admin teams page; paged by slug so 500 teams stay quick. */
export async function listTeams(ctx: DomainContext, raw: TListTeams) {
  if (!can(ctx.actor, "team.manage")) throw forbidden("Only admins can manage teams.");
  const input = parseInput(ZListTeams, raw);
  const rows = await ctx.db.team.findMany({
    where: {
      AND: [
        input.q ? { OR: [{ slug: { contains: input.q } }, { name: { contains: input.q, mode: "insensitive" as const } }] } : {},
        input.after ? { slug: { gt: input.after } } : {},
      ],
    },
    orderBy: { slug: "asc" },
    take: input.limit + 1,
    select: { id: true, slug: true, name: true, quota: true, _count: { select: { memberships: true } } },
  });
  const teams = rows.slice(0, input.limit);
  const usage = await ctx.db.virtualCluster.groupBy({
    by: ["teamId"],
    where: { teamId: { in: teams.map((t) => t.id) }, phase: { in: LIVE_PHASES } },
    _count: { _all: true },
    _sum: { cpuMillicores: true, memoryMiB: true },
  });
  const used = new Map(usage.map((u) => [u.teamId, { clusters: u._count._all, cpuMillicores: u._sum.cpuMillicores ?? 0, memoryMiB: u._sum.memoryMiB ?? 0 }]));
  return {
    items: teams.map((t) => ({
      id: t.id,
      slug: t.slug,
      name: t.name,
      members: t._count.memberships,
      quota: t.quota,
      used: used.get(t.id) ?? { clusters: 0, cpuMillicores: 0, memoryMiB: 0 },
    })),
    nextAfter: rows.length > input.limit ? (teams[teams.length - 1]?.slug ?? null) : null,
  };
}

export type AdminTeamRow = Awaited<ReturnType<typeof listTeams>>["items"][number];
