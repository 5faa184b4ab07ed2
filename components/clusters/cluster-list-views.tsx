import Link from "next/link";
import { cn } from "@/components/ui/cn";
import { ENDED_HISTORY_DAYS } from "@/lib/lifecycle/history";

export type TClusterListView = "live" | "history";

/** Pure: the view a `?view=` search parameter asks for; anything else is the live list. */
export const clusterListView = (param: string | string[] | undefined): TClusterListView => (param === "history" ? "history" : "live");

/** The two views of a list of clusters, as links (the view lives in the URL): live ones, and those that ended lately. */
export function ClusterListViews({ path, view }: { path: string; view: TClusterListView }) {
  const tab = (active: boolean) =>
    cn("rounded-md px-2.5 py-1 text-sm", active ? "bg-slate-900 font-medium text-white dark:bg-slate-100 dark:text-slate-900" : "text-slate-600 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800");
  return (
    <div role="group" aria-label="Which clusters" className="inline-flex rounded-lg border border-slate-200 p-0.5 dark:border-slate-700">
      <Link href={path} className={tab(view === "live")} aria-current={view === "live" ? "page" : undefined}>
        Live
      </Link>
      <Link href={`${path}?view=history`} className={tab(view === "history")} aria-current={view === "history" ? "page" : undefined}>
        Recently ended ({ENDED_HISTORY_DAYS} days)
      </Link>
    </div>
  );
}
