import { Boxes, LayoutTemplate } from "lucide-react";
import type { Metadata } from "next";
import { TeamsSummary } from "@/components/catalog/teams-summary";
import { TemplateCard } from "@/components/catalog/template-card";
import { ClusterList } from "@/components/clusters/cluster-list";
import { ClusterListViews, clusterListView } from "@/components/clusters/cluster-list-views";
import { EndedClusterList } from "@/components/clusters/ended-cluster-list";
import { Card, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { listCatalog, listMyTeamQuotas } from "@/lib/domain/catalog";
import { listEndedClusters } from "@/lib/domain/list-ended-clusters";
import { listMyClusters } from "@/lib/domain/list-my-clusters";
import { domainContext } from "@/lib/server/domain-context";
import { quickCreateAction } from "../request/actions";

export const metadata: Metadata = { title: "My clusters" };

/** The quota's words (lib/lifecycle/quota.ts): a request waiting for approval is not "in use" yet. */
function inUseAndWaiting(clusters: { phase: string }[]): string {
  const waiting = clusters.filter((c) => c.phase === "PENDING_APPROVAL").length;
  return `${clusters.length - waiting} in use${waiting > 0 ? ` · ${waiting} waiting for approval` : ""}`;
}

export default async function HomePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const view = clusterListView((await searchParams).view);
  const ctx = await domainContext();
  // The list holds live clusters only: one leaves it once it is gone, and the history view shows what ended lately.
  const [clusters, ended, teams, catalog] = await Promise.all([
    view === "live" ? listMyClusters(ctx, { recentlyEnded: false }) : [],
    view === "history" ? listEndedClusters(ctx) : null,
    listMyTeamQuotas(ctx),
    listCatalog(ctx),
  ]);

  return (
    <div className="space-y-10">
      <div className="grid gap-6 lg:grid-cols-3">
        <section aria-labelledby="my-clusters" className="lg:col-span-2">
          <Card>
            <CardHeader
              titleId="my-clusters"
              title="My clusters"
              description={
                ended
                  ? `Ended in the last ${ended.days} days · yours and your team${teams.length === 1 ? "'s" : "s'"}`
                  : clusters.length
                    ? `${inUseAndWaiting(clusters)} · yours and your team${teams.length === 1 ? "'s" : "s'"}`
                    : "Yours and your team's virtual clusters"
              }
              as="h1"
              actions={<ClusterListViews path="/" view={view} />}
            />
            {ended ? (
              <EndedClusterList ended={ended} />
            ) : clusters.length ? (
              <ClusterList clusters={clusters} />
            ) : (
              <div className="p-5">
                <EmptyState icon={<Boxes className="size-5" />} title="No live clusters — pick a template below" description="A Sandbox is ready in seconds and cleans itself up after 8 hours." />
              </div>
            )}
          </Card>
        </section>
        <section aria-labelledby="your-teams">
          <Card>
            <CardHeader titleId="your-teams" title="Your teams" description="Quota in use, and waiting for an admin's approval (striped)" />
            <div className="px-5 py-4">
              <TeamsSummary teams={teams} />
            </div>
          </Card>
        </section>
      </div>

      <section aria-labelledby="catalog" className="space-y-4">
        <div className="flex flex-wrap items-end justify-between gap-2">
          <div>
            <h2 id="catalog" className="text-lg font-semibold tracking-tight">
              Templates
            </h2>
            <p className="text-sm text-slate-500 dark:text-slate-400">
              <strong className="font-medium text-slate-700 dark:text-slate-300">Create</strong> requests one with the defaults
              {teams[0] ? ` for ${teams[0].teamName}` : ""}; <strong className="font-medium text-slate-700 dark:text-slate-300">Customize</strong> lets you pick the name, team and
              settings.
            </p>
          </div>
        </div>
        {catalog.length ? (
          <div className="grid gap-4 md:grid-cols-2 xl:grid-cols-3">
            {catalog.map((t) => (
              <TemplateCard key={t.slug} template={t} createAction={quickCreateAction} canRequest={teams.length > 0} />
            ))}
          </div>
        ) : (
          <EmptyState icon={<LayoutTemplate className="size-5" />} title="No templates yet" description="An admin publishes templates under Templates." />
        )}
      </section>
    </div>
  );
}
