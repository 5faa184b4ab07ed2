import { ChevronRight, Clock, User, Users } from "lucide-react";
import Link from "next/link";
import { RelativeTime } from "@/components/clusters/relative-time";
import { PhaseBadge } from "@/components/ui/badge";
import type { TClusterSummary } from "@/lib/domain/list-my-clusters";

function ExpiryText({ c }: { c: TClusterSummary }) {
  if (c.phase === "PENDING_APPROVAL") return <span>Starts after approval</span>;
  if (c.phase === "DELETING") return <span>Deleting</span>;
  if (!c.expiresAt) return <span>No expiry</span>;
  return (
    <span>
      Expires <RelativeTime date={c.expiresAt} mode="expiry" />
    </span>
  );
}

/** The home page's list of live clusters: one row per cluster, the whole row a link to its page. */
export function ClusterList({ clusters }: { clusters: TClusterSummary[] }) {
  return (
    <ul className="divide-y divide-slate-100 dark:divide-slate-800" aria-label="Clusters">
      {clusters.map((c) => (
        <li key={c.id}>
          <Link
            href={`/clusters/${c.id}`}
            className="group flex items-center gap-4 px-5 py-3.5 transition-colors hover:bg-slate-50 focus-visible:outline-offset-[-2px] dark:hover:bg-slate-800/50"
            data-testid="cluster-row"
          >
            <div className="min-w-0 flex-1">
              <div className="flex flex-wrap items-center gap-2">
                <span className="truncate font-medium text-slate-900 group-hover:text-brand-700 dark:text-slate-100 dark:group-hover:text-brand-100">{c.name}</span>
                <PhaseBadge phase={c.phase} label={c.phaseLabel} />
              </div>
              <p className="mt-1 flex flex-wrap items-center gap-x-4 gap-y-1 text-xs text-slate-500 dark:text-slate-400">
                <span>{c.templateName}</span>
                <span className="inline-flex items-center gap-1">
                  <Users className="size-3.5" aria-hidden />
                  <span className="sr-only">Team:</span>
                  {c.team.name}
                </span>
                <span className="inline-flex items-center gap-1">
                  <User className="size-3.5" aria-hidden />
                  <span className="sr-only">Owner:</span>
                  {c.isMine ? "you" : <span title={c.owner.email}>{c.owner.name ?? c.owner.email}</span>}
                </span>
                <span className="inline-flex items-center gap-1">
                  <Clock className="size-3.5" aria-hidden />
                  <ExpiryText c={c} />
                </span>
              </p>
              {c.phase === "FAILED" && c.lastError ? <p className="mt-1 truncate text-xs text-red-700 dark:text-red-400">{c.lastError}</p> : null}
            </div>
            <ChevronRight className="size-4 shrink-0 text-slate-500 dark:text-slate-400 transition-transform group-hover:translate-x-0.5" aria-hidden />
          </Link>
        </li>
      ))}
    </ul>
  );
}
