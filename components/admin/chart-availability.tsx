import { AlertTriangle, CheckCircle2, HelpCircle } from "lucide-react";
import type { ChartAvailability } from "@/lib/domain/list-hosts";

/** Which pinned vCluster chart versions the host's chart repository offers, and what breaks when one is missing. */
export function ChartAvailabilityNote({ charts }: { charts: ChartAvailability }) {
  const { result, pinned, missing } = charts;
  if (result.state === "unreachable") {
    return (
      <p role="status" className="flex items-start gap-1.5 text-amber-700 dark:text-amber-400">
        <AlertTriangle aria-hidden className="mt-0.5 size-3.5 shrink-0" />
        <span>Chart repository unreachable ({result.error}). New clusters on this host fail until it answers.</span>
      </p>
    );
  }
  if (result.state === "unlisted") {
    return (
      <p className="flex items-start gap-1.5 text-slate-600 dark:text-slate-400">
        <HelpCircle aria-hidden className="mt-0.5 size-3.5 shrink-0" />
        <span>Not listed: {result.reason}.</span>
      </p>
    );
  }
  if (missing.length) {
    return (
      <ul role="status" className="space-y-1 text-amber-700 dark:text-amber-400">
        {pinned
          .filter((p) => missing.includes(p.version))
          .map((p) => (
            <li key={p.version} className="flex items-start gap-1.5">
              <AlertTriangle aria-hidden className="mt-0.5 size-3.5 shrink-0" />
              <span>
                vCluster chart {p.version} is not in this repository: requests for {p.templates.join(", ")} cannot be installed here.
              </span>
            </li>
          ))}
      </ul>
    );
  }
  return (
    <p className="flex items-start gap-1.5 text-emerald-700 dark:text-emerald-400">
      <CheckCircle2 aria-hidden className="mt-0.5 size-3.5 shrink-0" />
      <span>Offers every pinned chart version ({pinned.map((p) => p.version).join(", ") || "none pinned"}).</span>
    </p>
  );
}
