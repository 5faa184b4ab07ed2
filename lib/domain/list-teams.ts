import { z } from "zod";
import { can } from "@/lib/authz/permissions";
import type { DomainContext } from "@/lib/domain/context";
import { blankToUndefined } from "@/lib/domain/keyset-cursor";
import { parseInput } from "@/lib/domain/parse-input";
import { teamUsages } from "@/lib/domain/quota";
import { forbidden } from "@/lib/errors";

export const ZListTeams = z.object({
  q: z.preprocess(blankToUndefined, z.string().max(100).toLowerCase().optional()),
  /** Keyset on slug: the last slug of the previous page. */
  after: z.preprocess(blankToUndefined, z.string().max(100).optional()),
  limit: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(200).default(50)),
});
export type TListTeams = z.input<typeof ZListTeams>;

/** Teams with quota, what is in use and what waits for approval, for the admin teams page; paged by slug so 500 teams stay quick. */
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
  const usages = await teamUsages(ctx.db, teams.map((t) => t.id));
  return {
    items: teams.map((t) => ({
      id: t.id,
      slug: t.slug,
      name: t.name,
      members: t._count.memberships,
      quota: t.quota,
      usage: usages.get(t.id)!,
    })),
    nextAfter: rows.length > input.limit ? (teams[teams.length - 1]?.slug ?? null) : null,
  };
}

export type AdminTeamRow = Awaited<ReturnType<typeof listTeams>>["items"][number];
