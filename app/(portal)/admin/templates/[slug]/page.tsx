import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/admin/page-header";
import { RelativeTime } from "@/components/clusters/relative-time";
import { settingsText, TextDiff } from "@/components/admin/text-diff";
import { DeprecateButton, NewVersionPanel } from "@/components/admin/version-actions";
import { Badge } from "@/components/ui/badge";
import { Card, CardBody } from "@/components/ui/card";
import { formatCpu, formatMemory } from "@/lib/lifecycle/units";
import { getTemplateWithVersions, type TemplateWithVersions } from "@/lib/domain/list-templates";
import { formatParameters } from "@/lib/domain/template-draft";
import { isAppError } from "@/lib/errors";
import { NEWEST_CHART_VERSION, kubernetesMinorVersions } from "@/lib/vcluster/chart-versions";
import { adminContext } from "../../guard";
import { createTemplateVersionAction, deprecateTemplateVersionAction } from "../actions";

export const metadata: Metadata = { title: "Template" };

type V = TemplateWithVersions["versions"][number];

const draftOf = (v: V) => ({
  description: v.description,
  kubernetesVersion: v.kubernetesVersion,
  chartVersion: v.chartVersion,
  valuesYaml: v.valuesYaml,
  parametersJson: formatParameters(v.parameters),
  cpuMillicores: String(v.cpuMillicores),
  memoryMiB: String(v.memoryMiB),
  defaultTtlHours: String(v.defaultTtlHours),
  maxTtlHours: String(v.maxTtlHours),
  approval: v.approval,
  expiryAction: v.expiryAction,
  podSecurityStandard: v.podSecurityStandard as "privileged" | "baseline" | "restricted",
  isolateNetwork: v.isolateNetwork,
  tenantRole: v.tenantRole,
  privileged: v.privileged,
});

export default async function TemplatePage({ params }: { params: Promise<{ slug: string }> }) {
  const ctx = await adminContext("template.manage");
  const { slug } = await params;
  const template = await getTemplateWithVersions(ctx, slug).catch((e: unknown) => {
    if (isAppError(e) && e.code === "NOT_FOUND") notFound();
    throw e;
  });
  const latest = template.versions[0];
  const requestable = template.versions.find((v) => !v.deprecated);

  return (
    <div className="space-y-6">
      <PageHeader
        eyebrow={<Link href="/admin/templates" className="hover:underline">Templates</Link>}
        title={template.name}
        description={template.description}
      />
      <NewVersionPanel
        templateSlug={template.slug}
        previousVersion={latest?.version ?? null}
        previous={
          latest
            ? draftOf(latest)
            : { description: "", kubernetesVersion: kubernetesMinorVersions(NEWEST_CHART_VERSION)[0]!, chartVersion: NEWEST_CHART_VERSION, valuesYaml: "", parametersJson: "[]", cpuMillicores: "1000", memoryMiB: "2048", defaultTtlHours: "8", maxTtlHours: "24", approval: "AUTO", expiryAction: "DELETE", podSecurityStandard: "restricted", isolateNetwork: true, tenantRole: "cluster-admin", privileged: false }
        }
        action={createTemplateVersionAction}
      />

      <section aria-labelledby="versions-heading" className="space-y-4">
        <h2 id="versions-heading" className="text-lg font-semibold">Versions</h2>
        {template.versions.map((v, i) => {
          const prev = template.versions[i + 1];
          return (
            <Card key={v.id} data-version={v.version}>
              <CardBody className="space-y-3">
                <div className="flex flex-wrap items-start justify-between gap-3">
                  <div>
                    <h3 className="flex flex-wrap items-center gap-2 font-semibold">
                      Version {v.version}
                      {v.id === requestable?.id ? <Badge tone="success">Requested by default</Badge> : null}
                      {v.deprecated ? <Badge tone="neutral">Deprecated</Badge> : null}
                      {v.privileged ? (
                        <span title="Its values may widen host privileges (security contexts, host paths, extra RBAC rules, host-wide sync …)">
                          <Badge tone="danger">Privileged</Badge>
                        </span>
                      ) : null}
                      <Badge tone={v.approval === "REQUIRED" ? "warning" : "info"}>{v.approval === "REQUIRED" ? "Admin approves" : "Automatic"}</Badge>
                    </h3>
                    <p className="text-sm text-slate-600 dark:text-slate-400">{v.description || "No description"}</p>
                    <p className="mt-1 text-xs text-slate-500 dark:text-slate-400">
                      Published <RelativeTime date={v.createdAt} />
                      {v.createdBy ? (
                        <>
                          {" "}by <span title={v.createdBy.email}>{v.createdBy.name ?? v.createdBy.email}</span>
                        </>
                      ) : null}{" "}
                      · Kubernetes {v.kubernetesVersion} · vCluster chart {v.chartVersion} · {formatCpu(v.cpuMillicores)} and {formatMemory(v.memoryMiB)} per cluster · lives {v.defaultTtlHours} hours by default (at most {v.maxTtlHours}), then{" "}
                      {v.expiryAction === "SLEEP" ? "sleeps" : "is deleted"} · Pod Security Standard: {v.podSecurityStandard}
                      {v.isolateNetwork ? " · network isolated from other clusters" : ""} · people get the {v.tenantRole} role inside · {v.liveClusters} live cluster{v.liveClusters === 1 ? "" : "s"}
                    </p>
                  </div>
                  <DeprecateButton templateSlug={template.slug} version={v.version} deprecated={v.deprecated} action={deprecateTemplateVersionAction} />
                </div>
                <details>
                  <summary className="cursor-pointer text-sm text-brand-600 dark:text-brand-100">{prev ? `Changes from version ${prev.version}` : "Values and parameters"}</summary>
                  <div className="mt-3 space-y-3">
                    {prev ? (
                      <>
                        <TextDiff label="Settings" before={settingsText(prev)} after={settingsText(v)} />
                        <TextDiff label="Values" before={prev.valuesYaml} after={v.valuesYaml} />
                        <TextDiff label="Parameters" before={formatParameters(prev.parameters)} after={formatParameters(v.parameters)} />
                      </>
                    ) : (
                      <div className="grid gap-3 lg:grid-cols-2">
                        <pre className="overflow-auto rounded-lg bg-slate-100 p-3 text-xs dark:bg-slate-800">{v.valuesYaml}</pre>
                        <pre className="overflow-auto rounded-lg bg-slate-100 p-3 text-xs dark:bg-slate-800">{formatParameters(v.parameters)}</pre>
                      </div>
                    )}
                  </div>
                </details>
              </CardBody>
            </Card>
          );
        })}
      </section>
    </div>
  );
}
