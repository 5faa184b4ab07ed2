import { ChevronRight, User, Users } from "lucide-react";
import Link from "next/link";
import { RelativeTime } from "@/components/clusters/relative-time";
import { PhaseBadge } from "@/components/ui/badge";
import type { TEndedCluster, TEndedClusters } from "@/lib/domain/list-ended-clusters";

/** "Deleted by Ada Admin", "Expired: its lifetime ran out", "Rejected automatically: nobody decided in time". */
function howItEnded(c: TEndedCluster) {
  const by = c.endedBy ? <span title={c.endedBy.email}>{c.endedBy.name ?? c.endedBy.email}</span> : null;
  if (c.phase === "EXPIRED") return <>Expired: its lifetime ran out{by ? <> (deleted by {by})</> : null}</>;
  if (c.phase === "REJECTED") return by ? <>Rejected by {by}</> : <>Rejected automatically: nobody decided in time</>;
  return by ? <>Deleted by {by}</> : <>Deleted</>;
}

/**
 * Clusters that ended recently (deleted, expired, rejected), newest first, with when and by whom: the history
 * behind the live lists, which a cluster leaves once it is gone.
 */
export function EndedClusterList({ ended, showTeam = true }: { ended: TEndedClusters; showTeam?: boolean }) {
  if (ended.items.length === 0) return <p className="px-5 py-4 text-sm text-slate-500 dark:text-slate-400">No cluster ended in the last {ended.days} days.</p>;
  return (
    <div>
      <ul className="divide-y divide-slate-100 dark:divide-slate-800" aria-label="Recently ended clusters">
        {ended.items.map((c) => (
          <li key={c.id}>
            <Link
              href={`/clusters/${c.id}`}
              className="group flex items-center gap-4 px-5 py-3 transition-colors hover:bg-slate-50 focus-visible:outline-offset-[-2px] dark:hover:bg-slate-800/50"
              data-testid="ended-cluster-row"
            >
              <div className="min-w-0 flex-1">
                <div className="flex flex-wrap items-center gap-2">
                  <span className="truncate font-medium text-slate-700 group-hover:text-brand-700 dark:text-slate-300 dark:group-hover:text-brand-100">{c.name}</span>
                  <PhaseBadge phase={c.phase} label={c.phaseLabel} />
                </div>
                <p className="mt-1 text-xs text-slate-600 dark:text-slate-300">
                  {howItEnded(c)}, <RelativeTime date={c.endedAt} />
                </p>
                <p className="mt-0.5 flex flex-wrap items-center gap-x-4 gap-y-1 text-xs text-slate-500 dark:text-slate-400">
                  <span>{c.templateName}</span>
                  {showTeam ? (
                    <span className="inline-flex items-center gap-1">
                      <Users className="size-3.5" aria-hidden />
                      <span className="sr-only">Team:</span>
                      {c.team.name}
                    </span>
                  ) : null}
                  <span className="inline-flex items-center gap-1">
                    <User className="size-3.5" aria-hidden />
                    <span className="sr-only">Owner:</span>
                    {c.isMine ? "you" : <span title={c.owner.email}>{c.owner.name ?? c.owner.email}</span>}
                  </span>
                </p>
              </div>
              <ChevronRight className="size-4 shrink-0 text-slate-500 transition-transform group-hover:translate-x-0.5 dark:text-slate-400" aria-hidden />
            </Link>
          </li>
        ))}
      </ul>
      {ended.more ? <p className="border-t border-slate-100 px-5 py-3 text-xs text-slate-500 dark:border-slate-800 dark:text-slate-400">Showing the {ended.items.length} most recent; older ones are in the audit log.</p> : null}
    </div>
  );
}
