import { can } from "@/lib/authz/permissions";
import { LIVE_PHASES } from "@/lib/lifecycle/phases";
import type { DomainContext } from "@/lib/domain/context";
import { forbidden } from "@/lib/errors";
import { env } from "@/lib/env";
import { chartVersionsIn, type ChartVersionsResult } from "@/lib/kube/chart-repository";

export type ChartAvailability = { repo: string; result: ChartVersionsResult; pinned: { version: string; templates: string[] }[]; missing: string[] };

/**
 * Host clusters with what their live virtual clusters reserve, and whether each host's chart repository holds
 * the chart versions the templates' latest versions pin. Never returns the stored kubeconfig.
 */
export async function listHosts(ctx: DomainContext) {
  if (!can(ctx.actor, "host.manage")) throw forbidden("Only admins can see host clusters.");
  const [hosts, usage, pinned] = await Promise.all([
    ctx.db.hostCluster.findMany({ orderBy: { name: "asc" }, omit: { kubeconfigEncrypted: true, platformAccessKeyEncrypted: true } }),
    ctx.db.virtualCluster.groupBy({
      by: ["hostClusterId"],
      where: { hostClusterId: { not: null }, phase: { in: LIVE_PHASES } },
      _count: { _all: true },
      _sum: { cpuMillicores: true, memoryMiB: true },
    }),
    pinnedChartVersions(ctx),
  ]);
  const { VCLUSTER_CHART_REPO: defaultRepo, VCLUSTER_CHART_NAME: chart } = env();
  const availability = new Map<string, Promise<ChartAvailability>>();
  const availabilityOf = (repo: string) => {
    if (!availability.has(repo)) {
      availability.set(
        repo,
        chartVersionsIn(repo, chart).then((result) => ({
          repo,
          result,
          pinned,
          missing: result.state === "listed" ? pinned.map((p) => p.version).filter((v) => !result.versions.includes(v)) : [],
        })),
      );
    }
    return availability.get(repo)!;
  };
  const charts = await Promise.all(hosts.map((h) => availabilityOf(h.chartRepo?.trim() || defaultRepo)));
  const used = new Map(usage.map((u) => [u.hostClusterId, u]));
  return hosts.map((h, i) => {
    const u = used.get(h.id);
    return {
      ...h,
      charts: charts[i]!,
      labels: (h.labels ?? {}) as Record<string, string>,
      licence: h.platformHost ? { platformHost: h.platformHost, project: h.platformProject || "default", insecure: h.platformInsecure } : null,
      used: { clusters: u?._count._all ?? 0, cpuMillicores: u?._sum.cpuMillicores ?? 0, memoryMiB: u?._sum.memoryMiB ?? 0 },
    };
  });
}

export type HostRow = Awaited<ReturnType<typeof listHosts>>[number];

/** Chart versions that the latest version of each template pins, with the templates pinning them. */
async function pinnedChartVersions(ctx: DomainContext): Promise<{ version: string; templates: string[] }[]> {
  const latest = await ctx.db.templateVersion.findMany({
    distinct: ["templateId"],
    orderBy: [{ templateId: "asc" }, { version: "desc" }],
    select: { chartVersion: true, template: { select: { name: true } } },
  });
  const byVersion = new Map<string, string[]>();
  for (const v of latest) byVersion.set(v.chartVersion, [...(byVersion.get(v.chartVersion) ?? []), v.template.name]);
  return [...byVersion].map(([version, templates]) => ({ version, templates })).sort((a, b) => a.version.localeCompare(b.version));
}
