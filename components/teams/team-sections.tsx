import { Clock, Crown, User } from "lucide-react";
import Link from "next/link";
import { RelativeTime } from "@/components/clusters/relative-time";
import { LocalTime } from "@/components/ui/local-time";
import { PhaseBadge, Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { TableScroll } from "@/components/ui/table-scroll";
import { QuotaMeters } from "@/components/teams/usage-bar";
import { formatCpu, formatMemory } from "@/lib/lifecycle/units";
import { phaseLabel } from "@/lib/lifecycle/phases";
import type { TeamOverview } from "@/lib/domain/team-overview";

export function QuotaBars({ quota, usage }: Pick<TeamOverview, "quota" | "usage">) {
  if (!quota) return <EmptyState title="No quota yet" description="An admin has not set a quota for this team, so nobody can request clusters yet." />;
  return (
    <QuotaMeters
      usage={usage}
      limits={{ clusters: quota.maxClusters, cpuMillicores: quota.cpuMillicores, memoryMiB: quota.memoryMiB }}
      className="grid gap-5 sm:grid-cols-3"
      testId="quota-bars"
    />
  );
}

export function OwnersTable({ byOwner, quota }: Pick<TeamOverview, "byOwner" | "quota">) {
  if (byOwner.length === 0) return <EmptyState title="No live clusters" description="Nobody in this team holds a cluster right now." />;
  return (
    <TableScroll label="Clusters per owner">
      <table className="w-full text-left text-sm" data-testid="owners-table">
        <caption className="sr-only">Live clusters grouped by owner, with what they reserve</caption>
        <thead className="text-xs text-slate-500 dark:text-slate-400">
          <tr>
            <th scope="col" className="pb-2 font-medium">Owner</th>
            <th scope="col" className="pb-2 font-medium">Clusters</th>
            <th scope="col" className="pb-2 text-right font-medium">Reserved</th>
          </tr>
        </thead>
        <tbody>
          {byOwner.map((o) => (
            <tr key={o.owner.id} className="border-t border-slate-100 align-top dark:border-slate-800">
              <th scope="row" className="py-3 pr-3 font-normal">
                <div className="font-medium text-slate-900 dark:text-slate-100">{o.owner.name ?? o.owner.email}</div>
                <div className="text-xs text-slate-500 dark:text-slate-400">{o.owner.email}</div>
              </th>
              <td className="py-3 pr-3">
                <ul className="flex flex-wrap gap-1.5">
                  {o.clusters.map((c) => (
                    <li key={c.id}>
                      <Link href={`/clusters/${c.id}`} className="inline-flex items-center gap-1.5 rounded-md border border-slate-200 px-2 py-0.5 text-xs hover:border-brand-500 dark:border-slate-700">
                        <span className="font-mono">{c.name}</span>
                        <PhaseBadge phase={c.phase} label={phaseLabel(c.phase)} className="px-1.5! py-0!" />
                      </Link>
                    </li>
                  ))}
                </ul>
              </td>
              <td className="py-3 text-right text-xs whitespace-nowrap tabular-nums text-slate-600 dark:text-slate-300">
                <div>{formatCpu(o.reserved.cpuMillicores)}{quota ? <span className="text-slate-500 dark:text-slate-400"> ({Math.round((o.reserved.cpuMillicores / Math.max(1, quota.cpuMillicores)) * 100)}%)</span> : null}</div>
                <div>{formatMemory(o.reserved.memoryMiB)}</div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

export function ExpiringSoon({ clusters, now }: { clusters: TeamOverview["expiringSoon"]; now: Date }) {
  if (clusters.length === 0) return <p className="text-sm text-slate-500 dark:text-slate-400">Nothing expires in the next 24 hours.</p>;
  return (
    <ul className="space-y-3" data-testid="expiring-soon">
      {clusters.map((c) => {
        const past = c.expiresAt!.getTime() <= now.getTime();
        return (
          <li key={c.id} className="flex items-start gap-3">
            <Clock className="mt-0.5 size-4 shrink-0 text-amber-500" aria-hidden />
            <div className="min-w-0 text-sm">
              <Link href={`/clusters/${c.id}`} className="font-mono font-medium hover:underline">
                {c.name}
              </Link>
              <p className="text-xs text-slate-500 dark:text-slate-400">
                {c.owner.name ?? c.owner.email} ·{" "}
                {past ? (
                  <>
                    expiry due now (<LocalTime date={c.expiresAt!} />)
                  </>
                ) : (
                  <>
                    {c.templateVersion.expiryAction === "SLEEP" ? "sleeps" : "is deleted"} <RelativeTime date={c.expiresAt!} mode="expiry" />
                  </>
                )}
              </p>
            </div>
          </li>
        );
      })}
    </ul>
  );
}

export function MembersList({ members }: Pick<TeamOverview, "members">) {
  return (
    <ul className="divide-y divide-slate-100 dark:divide-slate-800" data-testid="members">
      {members.map((m) => (
        <li key={m.id} className="flex items-center justify-between gap-3 py-2 text-sm">
          <span className="flex min-w-0 items-center gap-2">
            {m.role === "LEAD" ? <Crown className="size-4 shrink-0 text-amber-500" aria-hidden /> : <User className="size-4 shrink-0 text-slate-500 dark:text-slate-400" aria-hidden />}
            <span className="min-w-0">
              <span className="block truncate font-medium">{m.name ?? m.email}</span>
              <span className="block truncate text-xs text-slate-500 dark:text-slate-400">{m.email}</span>
            </span>
          </span>
          <Badge tone={m.role === "LEAD" ? "brand" : "neutral"}>{m.role === "LEAD" ? "Lead" : "Member"}</Badge>
        </li>
      ))}
    </ul>
  );
}
