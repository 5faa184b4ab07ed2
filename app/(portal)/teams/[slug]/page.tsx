import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Badge } from "@/components/ui/badge";
import { ExpiringSoon, MembersList, OwnersTable, QuotaBars } from "@/components/teams/team-sections";
import { ClusterListViews, clusterListView } from "@/components/clusters/cluster-list-views";
import { EndedClusterList } from "@/components/clusters/ended-cluster-list";
import { listEndedClusters } from "@/lib/domain/list-ended-clusters";
import { UsageChart } from "@/components/teams/usage-chart";
import { getTeamOverview } from "@/lib/domain/team-overview";
import { isAppError } from "@/lib/errors";
import { domainContext } from "@/lib/server/domain-context";

export const metadata: Metadata = { title: "Team" };

async function load(slug: string) {
  const ctx = await domainContext();
  try {
    return { data: await getTeamOverview(ctx, { slug }), ctx };
  } catch (e) {
    // Not a member (and not an admin) looks exactly like a team that does not exist.
    if (isAppError(e) && (e.code === "NOT_FOUND" || e.code === "VALIDATION")) notFound();
    throw e;
  }
}

export default async function TeamPage({ params, searchParams }: { params: Promise<{ slug: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { slug } = await params;
  const view = clusterListView((await searchParams).view);
  const { data, ctx } = await load(slug);
  // The clusters card lists live ones; those that ended lately on request (?view=history).
  const ended = view === "history" ? await listEndedClusters(ctx, { teamId: data.team.id }) : null;
  const now = new Date();
  const role = ctx.actor.memberships.find((m) => m.teamId === data.team.id)?.role;
  const { quota, usage } = data;

  return (
    <div className="space-y-6">
      <header className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <p className="text-sm text-slate-500 dark:text-slate-400">Team</p>
          <h1 className="text-2xl font-semibold tracking-tight">{data.team.name}</h1>
        </div>
        <div className="flex items-center gap-2">
          {role ? <Badge tone={role === "LEAD" ? "brand" : "neutral"}>You are {role === "LEAD" ? "the team lead" : "a member"}</Badge> : <Badge tone="info">Viewing as admin</Badge>}
        </div>
      </header>

      <div className="grid grid-cols-1 gap-6 lg:grid-cols-3">
        <div className="min-w-0 space-y-6 lg:col-span-2">
          <Card>
            <CardHeader
              title="Quota and usage"
              description={
                quota
                  ? `In use, and waiting for an admin's approval (striped): both count against the quota. Clusters live at most ${quota.maxLifetimeHours} h${quota.approvalThresholdPercent < 100 ? `; requests past ${quota.approvalThresholdPercent}% of the quota need an admin's approval` : ""}.`
                  : undefined
              }
            />
            <CardBody>
              <QuotaBars quota={quota} usage={usage} />
            </CardBody>
          </Card>

          <Card>
            <CardHeader title="Usage over the last 30 days" description="Daily snapshots of what the team's clusters reserve; the last point is now." />
            <CardBody>
              <UsageChart
                points={data.history}
                limits={quota ? { clusters: quota.maxClusters, cpuMillicores: quota.cpuMillicores, memoryMiB: quota.memoryMiB } : null}
              />
            </CardBody>
          </Card>

          <section aria-labelledby="team-clusters">
            <Card>
              <CardHeader
                titleId="team-clusters"
                title="Clusters"
                description={ended ? `Deleted, expired or rejected in the last ${ended.days} days, newest first.` : "Live clusters by owner, largest reservation first."}
                actions={<ClusterListViews path={`/teams/${data.team.slug}`} view={view} />}
              />
              {ended ? (
                <EndedClusterList ended={ended} showTeam={false} />
              ) : (
                <CardBody>
                  <OwnersTable byOwner={data.byOwner} quota={quota} />
                </CardBody>
              )}
            </Card>
          </section>
        </div>

        <div className="space-y-6">
          <Card>
            <CardHeader title="Expiring in the next 24 hours" />
            <CardBody>
              <ExpiringSoon clusters={data.expiringSoon} now={now} />
            </CardBody>
          </Card>
          <Card>
            <CardHeader title="Members" description={`${data.members.length} ${data.members.length === 1 ? "person" : "people"}`} />
            <CardBody className="py-2">
              <MembersList members={data.members} />
            </CardBody>
          </Card>
        </div>
      </div>
    </div>
  );
}
