import { z } from "zod";
import { can } from "@/lib/authz/permissions";
import { LIVE_PHASES } from "@/lib/lifecycle/phases";
import type { DomainContext } from "@/lib/domain/context";
import { decodeCursor, keysetPageFields, optionalFilter, newerThan, olderThan, type Page, toPage } from "@/lib/domain/keyset-cursor";
import { parseInput } from "@/lib/domain/parse-input";
import { forbidden } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import { ClusterPhase } from "@/lib/generated/prisma/enums";


export const CLUSTER_PHASE_FILTERS = ["live", ...Object.values(ClusterPhase)] as const;

export const ZListAllClusters = z
  .object({
    team: optionalFilter(z.string().max(100)),
    phase: optionalFilter(z.enum(CLUSTER_PHASE_FILTERS, { error: "Unknown phase" })),
    owner: optionalFilter(z.string().max(254).toLowerCase()),
    template: optionalFilter(z.string().max(100)),
    q: optionalFilter(z.string().max(63).toLowerCase()),
    ...keysetPageFields,
  })
  .refine((v) => !(v.after && v.before), { message: "Use either after or before", path: ["before"] });
export type TListAllClusters = z.input<typeof ZListAllClusters>;

const select = {
  id: true,
  name: true,
  phase: true,
  createdAt: true,
  expiresAt: true,
  cpuMillicores: true,
  memoryMiB: true,
  lastError: true,
  namespace: true,
  team: { select: { slug: true, name: true } },
  owner: { select: { email: true, name: true } },
  templateVersion: { select: { version: true, template: { select: { slug: true, name: true } } } },
  hostCluster: { select: { name: true } },
} satisfies Prisma.VirtualClusterSelect;

export type AdminClusterRow = Prisma.VirtualClusterGetPayload<{ select: typeof select }>;

/**
 * Every cluster across teams, newest first, for admins. Filters resolve names to ids first (team slug,
 * owner e-mail, template slug) so the main query hits the VirtualCluster indexes; paging is keyset on
 * (createdAt, id) and nothing counts the whole table.
 */
export async function listAllClusters(ctx: DomainContext, raw: TListAllClusters): Promise<Page<AdminClusterRow>> {
  if (!can(ctx.actor, "cluster.listAll")) throw forbidden("Only admins can list every cluster.");
  const input = parseInput(ZListAllClusters, raw);
  const empty: Page<AdminClusterRow> = { items: [], olderCursor: null, newerCursor: null };

  const where: Prisma.VirtualClusterWhereInput[] = [];
  if (input.team) {
    const team = await ctx.db.team.findUnique({ where: { slug: input.team }, select: { id: true } });
    if (!team) return empty;
    where.push({ teamId: team.id });
  }
  if (input.owner) {
    const owner = await ctx.db.user.findUnique({ where: { email: input.owner }, select: { id: true } });
    if (!owner) return empty;
    where.push({ ownerId: owner.id });
  }
  if (input.template) {
    const versions = await ctx.db.templateVersion.findMany({ where: { template: { slug: input.template } }, select: { id: true } });
    if (versions.length === 0) return empty;
    where.push({ templateVersionId: { in: versions.map((v) => v.id) } });
  }
  if (input.phase === "live") where.push({ phase: { in: LIVE_PHASES } });
  else if (input.phase) where.push({ phase: input.phase });
  // Cluster names are lower-case DNS labels, so a plain LIKE is enough.
  if (input.q) where.push({ name: { contains: input.q } });

  const direction = input.before ? "newer" : "older";
  const cursor = input.before ?? input.after;
  if (cursor) {
    const c = decodeCursor(cursor);
    where.push(direction === "older" ? olderThan(c) : newerThan(c));
  }
  const order = direction === "older" ? "desc" : "asc";
  const rows = await ctx.db.virtualCluster.findMany({
    where: { AND: where },
    orderBy: [{ createdAt: order }, { id: order }],
    take: input.limit + 1,
    select,
  });
  return toPage(rows, input.limit, direction, Boolean(cursor));
}

/** Small lookup lists for the filter controls (teams and templates are few compared to clusters): people pick by name. */
export async function clusterFilterOptions(ctx: DomainContext) {
  if (!can(ctx.actor, "cluster.listAll")) throw forbidden("Only admins can list every cluster.");
  const [templates, teams] = await Promise.all([
    ctx.db.template.findMany({ select: { slug: true, name: true }, orderBy: { name: "asc" } }),
    ctx.db.team.findMany({ select: { slug: true, name: true }, orderBy: { name: "asc" } }),
  ]);
  return { templates, teams, phases: CLUSTER_PHASE_FILTERS };
}
