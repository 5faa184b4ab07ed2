import { can } from "@/lib/authz/permissions";
import { LIVE_PHASES } from "@/lib/lifecycle/phases";
import type { DomainContext } from "@/lib/domain/context";
import { forbidden, notFound } from "@/lib/errors";

/** Templates for the admin list: latest version, how many versions, how many live clusters use each template. */
export async function listTemplates(ctx: DomainContext) {
  if (!can(ctx.actor, "template.manage")) throw forbidden("Only admins can manage templates.");
  const [templates, usage] = await Promise.all([
    ctx.db.template.findMany({
      orderBy: { name: "asc" },
      select: {
        id: true,
        slug: true,
        name: true,
        description: true,
        archived: true,
        versions: {
          orderBy: { version: "desc" },
          select: { id: true, version: true, deprecated: true, approval: true, cpuMillicores: true, memoryMiB: true, createdAt: true, kubernetesVersion: true },
        },
      },
    }),
    ctx.db.virtualCluster.groupBy({ by: ["templateVersionId"], where: { phase: { in: LIVE_PHASES } }, _count: { _all: true } }),
  ]);
  const liveByVersion = new Map(usage.map((u) => [u.templateVersionId, u._count._all]));
  return templates.map((t) => {
    const latest = t.versions[0] ?? null;
    const current = t.versions.find((v) => !v.deprecated) ?? null;
    return {
      id: t.id,
      slug: t.slug,
      name: t.name,
      description: t.description,
      archived: t.archived,
      versionCount: t.versions.length,
      latest,
      current,
      liveClusters: t.versions.reduce((n, v) => n + (liveByVersion.get(v.id) ?? 0), 0),
    };
  });
}

/** One template with every version (newest first) and the live clusters pinned to each. */
export async function getTemplateWithVersions(ctx: DomainContext, slug: string) {
  if (!can(ctx.actor, "template.manage")) throw forbidden("Only admins can manage templates.");
  const template = await ctx.db.template.findUnique({
    where: { slug },
    include: { versions: { orderBy: { version: "desc" }, include: { createdBy: { select: { email: true, name: true } } } } },
  });
  if (!template) throw notFound("Template");
  const usage = await ctx.db.virtualCluster.groupBy({
    by: ["templateVersionId"],
    where: { templateVersionId: { in: template.versions.map((v) => v.id) }, phase: { in: LIVE_PHASES } },
    _count: { _all: true },
  });
  const liveByVersion = new Map(usage.map((u) => [u.templateVersionId, u._count._all]));
  return {
    ...template,
    versions: template.versions.map((v) => ({ ...v, liveClusters: liveByVersion.get(v.id) ?? 0 })),
  };
}

export type TemplateWithVersions = Awaited<ReturnType<typeof getTemplateWithVersions>>;
