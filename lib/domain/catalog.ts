import { z } from "zod";
import { suggestClusterName } from "@/lib/domain/cluster-name";
import { blankToUndefined } from "@/lib/domain/keyset-cursor";
import { defineUseCase } from "@/lib/domain/use-case";
import type { DomainContext } from "@/lib/domain/context";
import { teamUsages } from "@/lib/domain/quota";
import { type QuotaLimits, type TeamUsage, checkQuota, reservedBy } from "@/lib/lifecycle/quota";
import { TERMINAL_PHASES } from "@/lib/lifecycle/phases";
import { clusterResources } from "@/lib/lifecycle/size";
import { type Resource, amountsIn, formatCpu, formatMemory, withUnit } from "@/lib/lifecycle/units";
import { requestCluster } from "@/lib/domain/request-cluster";
import { type TTemplateParameters, ZTemplateParameters } from "@/lib/domain/template-parameters";
import { AppError, isAppError, notFound } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";

// The template catalog a developer picks from, what their teams have left, and the one-click request.

export type TCatalogTemplate = {
  slug: string;
  name: string;
  description: string;
  version: number;
  /** The version's "What changed" note, written by the admin who published it. */
  whatChanged: string;
  kubernetesVersion: string;
  approval: "AUTO" | "REQUIRED";
  expiryAction: "DELETE" | "SLEEP";
  cpuMillicores: number;
  memoryMiB: number;
  defaultTtlHours: number;
  maxTtlHours: number;
  parameters: TTemplateParameters;
  /** An admin marked the version privileged: its values may widen host privileges. */
  privileged: boolean;
};

const catalogSelect = {
  slug: true,
  name: true,
  description: true,
  versions: {
    where: { deprecated: false },
    orderBy: { version: "desc" },
    take: 1,
    select: {
      version: true,
      description: true,
      kubernetesVersion: true,
      approval: true,
      expiryAction: true,
      cpuMillicores: true,
      memoryMiB: true,
      defaultTtlHours: true,
      maxTtlHours: true,
      parameters: true,
      privileged: true,
    },
  },
} satisfies Prisma.TemplateSelect;

type CatalogRow = Prisma.TemplateGetPayload<{ select: typeof catalogSelect }>;

function toCatalogTemplate(t: CatalogRow): TCatalogTemplate | null {
  const v = t.versions[0];
  if (!v) return null;
  const params = ZTemplateParameters.safeParse(v.parameters);
  return {
    slug: t.slug,
    name: t.name,
    description: t.description,
    version: v.version,
    whatChanged: v.description,
    kubernetesVersion: v.kubernetesVersion,
    approval: v.approval,
    expiryAction: v.expiryAction,
    cpuMillicores: v.cpuMillicores,
    memoryMiB: v.memoryMiB,
    defaultTtlHours: v.defaultTtlHours,
    maxTtlHours: v.maxTtlHours,
    // A template with malformed parameters still shows (with defaults only); requestCluster re-validates.
    parameters: params.success ? params.data : [],
    privileged: v.privileged,
  };
}

/** Templates anyone signed in may request from: not archived, at their latest non-deprecated version. */
export async function listCatalog(ctx: Pick<DomainContext, "db">): Promise<TCatalogTemplate[]> {
  const rows = await ctx.db.template.findMany({ where: { archived: false }, orderBy: { name: "asc" }, select: catalogSelect });
  return rows.map(toCatalogTemplate).filter((t): t is TCatalogTemplate => t !== null);
}

export async function getCatalogTemplate(ctx: Pick<DomainContext, "db">, slug: string): Promise<TCatalogTemplate> {
  const row = await ctx.db.template.findFirst({ where: { slug, archived: false }, select: catalogSelect });
  const t = row && toCatalogTemplate(row);
  if (!t) throw notFound("Template");
  return t;
}

export type TTeamQuota = {
  teamId: string;
  teamName: string;
  teamSlug: string;
  role: "MEMBER" | "LEAD";
  limits: QuotaLimits & { maxLifetimeHours: number };
  usage: TeamUsage;
};

/** For each team the person belongs to (the teams they may request for): its quota, what is in use and what waits for approval. */
export async function listMyTeamQuotas(ctx: DomainContext): Promise<TTeamQuota[]> {
  const teamIds = ctx.actor.memberships.map((m) => m.teamId);
  if (teamIds.length === 0) return [];
  const [teams, usages] = await Promise.all([
    ctx.db.team.findMany({ where: { id: { in: teamIds } }, orderBy: { slug: "asc" }, select: { id: true, name: true, slug: true, quota: true } }),
    teamUsages(ctx.db, teamIds),
  ]);
  return teams.map((t) => ({
      teamId: t.id,
      teamName: t.name,
      teamSlug: t.slug,
      role: ctx.actor.memberships.find((m) => m.teamId === t.id)!.role,
      limits: {
        clusters: t.quota?.maxClusters ?? 0,
        cpuMillicores: t.quota?.cpuMillicores ?? 0,
        memoryMiB: t.quota?.memoryMiB ?? 0,
        approvalThresholdPercent: t.quota?.approvalThresholdPercent ?? 100,
        maxLifetimeHours: t.quota?.maxLifetimeHours ?? 0,
      },
      usage: usages.get(t.id)!,
    }));
}

/** A suggested name (`sandbox-brisk-otter`) not used by a live cluster of the team. */
export async function suggestFreeClusterName(ctx: Pick<DomainContext, "db">, teamId: string, prefix: string, random: () => number = Math.random): Promise<string> {
  const base = prefix.replace(/[^a-z0-9-]/g, "").replace(/^[^a-z]+/, "") || "cluster";
  const candidates = Array.from({ length: 8 }, () => suggestClusterName(base, random));
  const taken = new Set(
    (
      await ctx.db.virtualCluster.findMany({
        where: { teamId, name: { in: candidates }, phase: { notIn: TERMINAL_PHASES } },
        select: { name: true },
      })
    ).map((c) => c.name),
  );
  const free = candidates.find((n) => !taken.has(n));
  if (free) return free;
  return suggestClusterName(base, random).slice(0, 34) + "-" + Math.floor(random() * 1e5).toString(36);
}

/**
 * One click: a cluster from `templateSlug` with every default, for the given team or the person's first
 * team, under a free suggested name (a concurrent request taking that name gets one more try).
 */
export const ZRequestFromCatalog = z.object({
  templateSlug: z.string({ error: "Choose a template" }).trim().min(1, "Choose a template"),
  teamId: z.preprocess(blankToUndefined, z.string().optional()),
});

export const requestFromCatalog = defineUseCase({
  name: "cluster.request-from-catalog",
  input: ZRequestFromCatalog,
  permission: { action: "cluster.request", on: "team" },
  run: async (ctx, input) => {
    const teamId = input.teamId ?? ctx.actor.memberships[0]?.teamId;
    if (!teamId) throw new AppError("PRECONDITION_FAILED", "You are not in a team yet. Ask an admin to add you to one, then request a cluster.");
    for (let attempt = 0; ; attempt++) {
      const name = await suggestFreeClusterName(ctx, teamId, input.templateSlug);
      try {
        return await requestCluster(ctx, { teamId, templateSlug: input.templateSlug, name, parameters: {} });
      } catch (e) {
        if (attempt === 0 && isAppError(e) && e.code === "CONFLICT" && e.fieldErrors?.name) continue;
        throw e;
      }
    }
  },
});

/** One resource after the request: `after` is a bare number, `limit` names the unit once ("2 of 8 CPU"). */
export type TQuotaLine = { key: "clusters" | "cpu" | "memory"; label: string; request: string; after: string; limit: string; remaining: string; percentAfter: number; over: boolean };
export type TQuotaPreview = { need: string; lines: TQuotaLine[]; fits: boolean; needsApproval: boolean; message: string | null };

/** The size options a template offers ("" when it has no `size` parameter). */
export function templateSizes(t: TCatalogTemplate): string[] {
  const size = t.parameters.find((p) => p.name === "size" && p.type === "enum");
  return size && size.type === "enum" ? size.options : [""];
}

/** Pure: what a request from `t` at `size` would reserve in `team`, and what would remain — with checkQuota's verdict. */
export function quotaPreview(t: TCatalogTemplate, team: TTeamQuota, size: string): TQuotaPreview {
  const need = clusterResources(t, size);
  const check = checkQuota(team.limits, team.usage, need);
  // In use and waiting both count: the request has to fit beside the requests already waiting.
  const held = reservedBy(team.usage);
  const line = (key: TQuotaLine["key"], label: string, resource: Resource): TQuotaLine => {
    const [used, req, limit] = [held[resource], resource === "clusters" ? 1 : need[resource], team.limits[resource]];
    const { number: n, unit } = amountsIn(resource, limit);
    return {
      key,
      label,
      request: withUnit(n(req), unit),
      after: n(used + req),
      limit: withUnit(n(limit), unit),
      remaining: withUnit(n(Math.max(0, limit - used - req)), unit),
      percentAfter: limit > 0 ? Math.min(100, Math.round(((used + req) / limit) * 100)) : 100,
      over: used + req > limit,
    };
  };
  return {
    need: `${formatCpu(need.cpuMillicores)} · ${formatMemory(need.memoryMiB)}`,
    lines: [line("clusters", "Clusters", "clusters"), line("cpu", "CPU", "cpuMillicores"), line("memory", "Memory", "memoryMiB")],
    fits: check.fits,
    needsApproval: t.approval === "REQUIRED" || (check.fits && check.needsApproval),
    message: check.fits ? null : check.message,
  };
}

/** Previews for every team × size, so the request form can switch team and size without a round trip. */
export function quotaPreviews(t: TCatalogTemplate, teams: TTeamQuota[]): Record<string, Record<string, TQuotaPreview>> {
  return Object.fromEntries(teams.map((team) => [team.teamId, Object.fromEntries(templateSizes(t).map((s) => [s, quotaPreview(t, team, s)]))]));
}
