import { Badge, type BadgeTone } from "@/components/ui/badge";
import { LocalTime } from "@/components/ui/local-time";
import type { LocalHostStatus } from "@/lib/kube/local-host-status";

const tone: Record<LocalHostStatus["state"], BadgeTone> = {
  "not-started": "neutral",
  building: "info",
  starting: "info",
  stopping: "warning",
  ready: "success",
  failed: "danger",
  unavailable: "warning",
  external: "brand",
};

const title: Record<LocalHostStatus["state"], string> = {
  "not-started": "Not started",
  building: "Building",
  starting: "Starting",
  stopping: "Stopping",
  ready: "Ready",
  failed: "Failed",
  unavailable: "Unavailable",
  external: "Attached",
};

/**
 * The local host cluster's build/start state, with a progress bar while Kubernetes builds from source. File
 * paths (the status file, an attached kubeconfig) are for the curious only: on hover, never in the text.
 */
export function LocalHostState({ status }: { status: LocalHostStatus }) {
  const p = status.progress;
  return (
    <div className="space-y-1.5" data-testid="local-host-state" data-state={status.state}>
      <div className="flex flex-wrap items-center gap-2">
        <Badge tone={tone[status.state]} dot pulse={status.state === "building" || status.state === "starting"}>
          {title[status.state]}
        </Badge>
        {status.state === "external" ? (
          <span className="text-sm text-slate-700 dark:text-slate-300" title={status.label}>
            attached through the KUBECONFIG setting
          </span>
        ) : (
          <span className="text-sm text-slate-700 dark:text-slate-300">{status.label}</span>
        )}
      </div>
      {status.state === "building" && p ? (
        <div
          role="progressbar"
          aria-label="Building Kubernetes components"
          aria-valuemin={0}
          aria-valuemax={p.total}
          aria-valuenow={p.done}
          aria-valuetext={`${p.done} of ${p.total} components built`}
          className="h-1.5 w-full max-w-sm overflow-hidden rounded-full bg-slate-200 dark:bg-slate-800"
        >
          <div className="h-full rounded-full bg-sky-500" style={{ width: `${(p.done / Math.max(1, p.total)) * 100}%` }} />
        </div>
      ) : null}
      {status.updatedAt ? (
        <p className="text-xs text-slate-500 dark:text-slate-400" title={`Read from ${status.source}`}>
          Status updated <LocalTime date={status.updatedAt} />
        </p>
      ) : null}
    </div>
  );
}
