import { Boxes, LayoutTemplate } from "lucide-react";
import type { Metadata } from "next";
import { TeamsSummary } from "@/components/catalog/teams-summary";
import { TemplateCard } from "@/components/catalog/template-card";
import { ClusterList } from "@/components/clusters/cluster-list";
import { Card, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { listCatalog, listMyTeamQuotas } from "@/lib/domain/catalog";
import { listMyClusters } from "@/lib/domain/list-my-clusters";
import { domainContext } from "@/lib/server/domain-context";
import { quickCreateAction } from "../request/actions";

export const metadata: Metadata = { title: "My clusters" };

export default async function HomePage() {
  const ctx = await domainContext();
  const [clusters, teams, catalog] = await Promise.all([listMyClusters(ctx), listMyTeamQuotas(ctx), listCatalog(ctx)]);
  const live = clusters.filter((c) => !c.ended).length;

  return (
    <div className="space-y-10">
      <div className="grid gap-6 lg:grid-cols-3">
        <section aria-labelledby="my-clusters" className="lg:col-span-2">
          <Card>
            <CardHeader
              titleId="my-clusters"
              title="My clusters"
              description={clusters.length ? `${live} live · yours and your team${teams.length === 1 ? "'s" : "s'"}` : "Yours and your team's virtual clusters"}
              as="h1"
            />
            {clusters.length ? (
              <ClusterList clusters={clusters} />
            ) : (
              <div className="p-5">
                <EmptyState icon={<Boxes className="size-5" />} title="No clusters yet — pick a template below" description="A Sandbox is ready in seconds and cleans itself up after 8 hours." />
              </div>
            )}
          </Card>
        </section>
        <section aria-labelledby="your-teams">
          <Card>
            <CardHeader titleId="your-teams" title="Your teams" description="Quota reserved by live clusters" />
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
