import type { Metadata } from "next";
import Link from "next/link";
import { Users } from "lucide-react";
import { FilterForm, FilterInput } from "@/components/admin/filter-form";
import { PageHeader } from "@/components/admin/page-header";
import { hrefWith } from "@/components/admin/pager";
import { EditQuotaButton } from "@/components/admin/quota-form";
import { buttonClasses } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { TableScroll } from "@/components/ui/table-scroll";
import { UsageBar } from "@/components/teams/usage-bar";
import { quotaLines } from "@/lib/lifecycle/quota";
import { listTeams } from "@/lib/domain/list-teams";
import { adminContext, firstParams } from "../guard";
import { updateTeamQuotaAction } from "./actions";

export const metadata: Metadata = { title: "Teams" };

export default async function AdminTeamsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const ctx = await adminContext("team.manage");
  const params = firstParams(await searchParams);
  const { items, nextAfter } = await listTeams(ctx, params);

  return (
    <div>
      <PageHeader title="Teams" description="Quotas per team: what is in use, and what waits for an admin's approval (striped). Membership comes from the identity provider's groups." />
      <FilterForm action="/admin/teams" active={Boolean(params.q)} label="Find teams">
        <FilterInput name="q" label="Team name or slug" defaultValue={params.q} placeholder="payments" />
      </FilterForm>
      <Card className="mt-4 overflow-hidden">
        {items.length === 0 ? (
          <EmptyState className="m-4" icon={<Users className="size-5" />} title="No teams match" />
        ) : (
          <TableScroll label="Teams">
            <table className="w-full text-left text-sm" data-testid="teams-table">
              <caption className="sr-only">Teams with quota and usage</caption>
              <thead className="bg-slate-50 text-xs text-slate-500 dark:bg-slate-900/60 dark:text-slate-400">
                <tr>
                  <th scope="col" className="px-4 py-2 font-medium">Team</th>
                  <th scope="col" className="w-48 px-4 py-2 font-medium">Clusters</th>
                  <th scope="col" className="w-48 px-4 py-2 font-medium">CPU</th>
                  <th scope="col" className="w-48 px-4 py-2 font-medium">Memory</th>
                  <th scope="col" className="px-4 py-2 font-medium">Rules</th>
                  <th scope="col" className="px-4 py-2 text-right font-medium"><span className="sr-only">Actions</span></th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
                {items.map((t) => {
                  const lines = t.quota && quotaLines(t.usage, { clusters: t.quota.maxClusters, cpuMillicores: t.quota.cpuMillicores, memoryMiB: t.quota.memoryMiB });
                  return (
                    <tr key={t.id} data-team={t.slug}>
                      <th scope="row" className="px-4 py-3 font-normal">
                        <Link href={`/teams/${t.slug}`} className="font-medium text-slate-900 hover:underline dark:text-slate-100">{t.name}</Link>
                        <p className="text-xs text-slate-500 dark:text-slate-400">{t.slug} · {t.members} member{t.members === 1 ? "" : "s"}</p>
                      </th>
                      {t.quota && lines ? (
                        <>
                          <td className="px-4 py-3"><UsageBar size="sm" label="Clusters" resource="clusters" line={lines.clusters} /></td>
                          <td className="px-4 py-3"><UsageBar size="sm" label="CPU" resource="cpuMillicores" line={lines.cpuMillicores} /></td>
                          <td className="px-4 py-3"><UsageBar size="sm" label="Memory" resource="memoryMiB" line={lines.memoryMiB} /></td>
                          <td className="px-4 py-3 text-xs text-slate-600 dark:text-slate-300">
                            max {t.quota.maxLifetimeHours} h{t.quota.approvalThresholdPercent < 100 ? ` · approval past ${t.quota.approvalThresholdPercent}%` : ""}
                          </td>
                        </>
                      ) : (
                        <td colSpan={4} className="px-4 py-3 text-sm text-amber-700 dark:text-amber-400">No quota: members cannot request clusters.</td>
                      )}
                      <td className="px-4 py-3 text-right">
                        <EditQuotaButton team={{ id: t.id, name: t.name }} quota={t.quota} action={updateTeamQuotaAction} />
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </TableScroll>
        )}
      </Card>
      <nav aria-label="Pages" className="flex justify-end gap-2 pt-4">
        {params.after ? <Link href={hrefWith("/admin/teams", params, { after: undefined })} className={buttonClasses({ variant: "ghost", size: "sm" })}>First page</Link> : null}
        {nextAfter ? <Link href={hrefWith("/admin/teams", params, { after: nextAfter })} className={buttonClasses({ variant: "secondary", size: "sm" })} rel="next">Next teams</Link> : null}
      </nav>
    </div>
  );
}
