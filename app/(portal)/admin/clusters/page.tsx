import type { Metadata } from "next";
import Link from "next/link";
import { Server } from "lucide-react";
import { FilterForm, FilterInput, FilterSelect } from "@/components/admin/filter-form";
import { PageHeader } from "@/components/admin/page-header";
import { RelativeTime } from "@/components/clusters/relative-time";
import { Pager } from "@/components/admin/pager";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PhaseBadge } from "@/components/ui/badge";
import { TableScroll } from "@/components/ui/table-scroll";
import { formatCpu, formatMemory } from "@/lib/lifecycle/units";
import { TERMINAL_PHASES, phaseLabel } from "@/lib/lifecycle/phases";
import { clusterFilterOptions, listAllClusters } from "@/lib/domain/list-all-clusters";
import type { ClusterPhase } from "@/lib/generated/prisma/enums";
import { adminContext, firstParams, pageOrFilterError } from "../guard";

export const metadata: Metadata = { title: "All clusters" };

const FILTERS = ["q", "team", "owner", "phase", "template"] as const;

/** The phase filter of the URL: none means live clusters (an ended one leaves the list once gone), "all" means every phase. */
const phaseFilter = (phase: string | undefined) => (phase === "all" ? undefined : phase || "live");

export default async function AdminClustersPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const ctx = await adminContext("cluster.listAll");
  const params = firstParams(await searchParams);
  const [options, result] = await Promise.all([
    clusterFilterOptions(ctx),
    pageOrFilterError(listAllClusters(ctx, { ...params, phase: phaseFilter(params.phase) })),
  ]);
  const active = FILTERS.some((k) => params[k]);

  return (
    <div>
      <PageHeader
        title="All clusters"
        description="Virtual clusters across teams, newest first: live ones unless the phase filter says otherwise. Filters live in the URL, so a filtered view can be shared."
      />
      <FilterForm action="/admin/clusters" active={active} label="Filter clusters">
        <FilterInput name="q" label="Name contains" defaultValue={params.q} placeholder="e.g. payments-dev" />
        <FilterSelect name="team" label="Team" defaultValue={params.team} options={[{ value: "", label: "Any team" }, ...options.teams.map((t) => ({ value: t.slug, label: t.name }))]} />
        <FilterInput name="owner" label="Owner e-mail" defaultValue={params.owner} type="email" placeholder="dev@example.com" />
        <FilterSelect
          name="phase"
          label="Phase"
          defaultValue={params.phase}
          options={[
            { value: "", label: "Live (not ended)" },
            { value: "all", label: "Any phase, ended included" },
            ...options.phases.filter((p) => p !== "live").map((p) => ({ value: p, label: phaseLabel(p as ClusterPhase) })),
          ]}
        />
        <FilterSelect name="template" label="Template" defaultValue={params.template} options={[{ value: "", label: "Any template" }, ...options.templates.map((t) => ({ value: t.slug, label: t.name }))]} />
      </FilterForm>

      <Card className="mt-4 overflow-hidden">
        {result.error ? (
          <EmptyState className="m-4" title="Cannot show this page" description={result.error} action={<Link href="/admin/clusters" className="text-brand-600 underline dark:text-brand-100">First page</Link>} />
        ) : result.page && result.page.items.length === 0 ? (
          <EmptyState className="m-4" icon={<Server className="size-5" />} title="No clusters match" description={active ? "Try fewer filters." : "No cluster is live. Pick “Any phase, ended included” to see ended ones."} />
        ) : (
          <TableScroll label="Clusters">
            <table className="w-full text-left text-sm" data-testid="clusters-table">
              <caption className="sr-only">Clusters, newest first</caption>
              <thead className="bg-slate-50 text-xs text-slate-500 dark:bg-slate-900/60 dark:text-slate-400">
                <tr>
                  <th scope="col" className="px-4 py-2 font-medium">Name</th>
                  <th scope="col" className="px-4 py-2 font-medium">Team</th>
                  <th scope="col" className="px-4 py-2 font-medium">Owner</th>
                  <th scope="col" className="px-4 py-2 font-medium">Template</th>
                  <th scope="col" className="px-4 py-2 font-medium">Phase</th>
                  <th scope="col" className="px-4 py-2 font-medium">Size</th>
                  <th scope="col" className="px-4 py-2 font-medium">Host</th>
                  <th scope="col" className="px-4 py-2 font-medium">Created</th>
                  <th scope="col" className="px-4 py-2 font-medium">Expires</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
                {result.page!.items.map((c) => (
                  <tr key={c.id} className="hover:bg-slate-50 dark:hover:bg-slate-800/40">
                    <th scope="row" className="px-4 py-2 font-normal">
                      <Link href={`/clusters/${c.id}`} className="font-mono font-medium text-slate-900 hover:underline dark:text-slate-100">
                        {c.name}
                      </Link>
                      {c.lastError ? <p className="max-w-64 truncate text-xs text-red-600 dark:text-red-400" title={c.lastError}>{c.lastError}</p> : null}
                    </th>
                    <td className="px-4 py-2">
                      <Link href={`/admin/clusters?team=${encodeURIComponent(c.team.slug)}`} className="hover:underline">{c.team.name}</Link>
                    </td>
                    <td className="px-4 py-2 text-slate-600 dark:text-slate-300">
                      <Link href={`/admin/clusters?owner=${encodeURIComponent(c.owner.email)}`} className="hover:underline" title={c.owner.email}>
                        {c.owner.name ?? c.owner.email}
                      </Link>
                    </td>
                    <td className="px-4 py-2 whitespace-nowrap">{c.templateVersion.template.name} <span className="text-slate-500 dark:text-slate-400">v{c.templateVersion.version}</span></td>
                    <td className="px-4 py-2"><PhaseBadge phase={c.phase} label={phaseLabel(c.phase)} /></td>
                    <td className="px-4 py-2 whitespace-nowrap tabular-nums text-slate-600 dark:text-slate-300">{formatCpu(c.cpuMillicores)} · {formatMemory(c.memoryMiB)}</td>
                    <td className="px-4 py-2 text-slate-600 dark:text-slate-300">{c.hostCluster?.name ?? "—"}</td>
                    <td className="px-4 py-2 whitespace-nowrap text-slate-600 dark:text-slate-300"><RelativeTime date={c.createdAt} /></td>
                    <td className="px-4 py-2 whitespace-nowrap text-slate-600 dark:text-slate-300">
                      {c.expiresAt && !TERMINAL_PHASES.includes(c.phase) ? <RelativeTime date={c.expiresAt} mode="expiry" /> : "—"}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        )}
      </Card>
      {result.page ? <Pager path="/admin/clusters" params={params} newerCursor={result.page.newerCursor} olderCursor={result.page.olderCursor} shown={result.page.items.length} label="clusters" /> : null}
    </div>
  );
}
