import { cn } from "@/components/ui/cn";
import { type LimitedQuotaLine, type Resources, type TeamUsage, quotaLines, usageLabel, usageWords } from "@/lib/lifecycle/quota";
import type { Resource } from "@/lib/lifecycle/units";

/** Pure: share of a limit in percent (0–100+), and its tone. */
export function usageLevel(used: number, limit: number): { percent: number; tone: "ok" | "high" | "over" } {
  if (limit <= 0) return { percent: used > 0 ? 100 : 0, tone: used > 0 ? "over" : "ok" };
  const percent = (used / limit) * 100;
  return { percent, tone: percent > 100 ? "over" : percent >= 80 ? "high" : "ok" };
}

/**
 * Pure: the widths (percent of the track) of the meter's three segments, in order — in use, other requests
 * waiting for approval, and `thisRequest` (one of the waiting ones) — cut off where the track ends.
 */
export function meterSegments(line: LimitedQuotaLine, thisRequest = 0): { inUse: number; waiting: number; thisRequest: number } {
  const share = (n: number) => usageLevel(n, line.limit).percent;
  const inUse = Math.min(100, share(line.inUse));
  const waiting = Math.min(100 - inUse, share(Math.max(0, line.pending - thisRequest)));
  return { inUse, waiting, thisRequest: Math.min(100 - inUse - waiting, share(thisRequest)) };
}

const toneText = {
  ok: "text-brand-500",
  high: "text-amber-500 dark:text-amber-400",
  over: "text-red-600 dark:text-red-500",
};

// Waiting requests are striped, so they read apart from what is in use without colour; the request under review
// is striped the other way and more densely.
const stripes = {
  waiting: "repeating-linear-gradient(135deg, currentColor 0 2px, transparent 2px 5px)",
  thisRequest: "repeating-linear-gradient(45deg, currentColor 0 3px, transparent 3px 4px)",
};

/**
 * A labelled meter of one quota resource: "CPU  2 in use + 1 waiting / 8 CPU". What is in use is solid, what
 * waits for approval striped after it, and in the approval queue `thisRequest` is a segment of its own.
 * role="meter" with the same numbers in words (aria-valuetext), so screen readers say more than a percentage.
 */
export function UsageBar({
  label,
  resource,
  line,
  thisRequest,
  size = "md",
  className,
}: {
  label: string;
  resource: Resource;
  line: LimitedQuotaLine;
  thisRequest?: number;
  size?: "sm" | "md";
  className?: string;
}) {
  const { tone } = usageLevel(line.inUse + line.pending, line.limit);
  const widths = meterSegments(line, thisRequest);
  return (
    <div className={cn("min-w-0", className)}>
      <div className={cn("flex flex-wrap items-baseline justify-between gap-x-2", size === "sm" ? "text-xs" : "text-sm")}>
        <span className="font-medium text-slate-700 dark:text-slate-300">{label}</span>
        <span className={cn("tabular-nums", tone === "over" ? "font-semibold text-red-700 dark:text-red-400" : "text-slate-600 dark:text-slate-400")}>
          {usageLabel(resource, line, thisRequest)}
        </span>
      </div>
      <div
        role="meter"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={line.limit}
        aria-valuenow={Math.min(line.inUse, Math.max(line.limit, 0))}
        aria-valuetext={usageWords(resource, line, thisRequest)}
        className={cn("mt-1 flex overflow-hidden rounded-full bg-slate-200 dark:bg-slate-800", toneText[tone], size === "sm" ? "h-1.5" : "h-2.5")}
      >
        <div className="h-full bg-current" style={{ width: `${widths.inUse}%` }} />
        {widths.waiting > 0 ? <div data-segment="waiting" className="h-full" style={{ width: `${widths.waiting}%`, backgroundImage: stripes.waiting }} /> : null}
        {widths.thisRequest > 0 ? <div data-segment="this-request" className="h-full" style={{ width: `${widths.thisRequest}%`, backgroundImage: stripes.thisRequest }} /> : null}
      </div>
    </div>
  );
}

const METERS = [
  { resource: "clusters", label: "Clusters" },
  { resource: "cpuMillicores", label: "CPU" },
  { resource: "memoryMiB", label: "Memory" },
] as const;

/** A team's quota as three meters (clusters, CPU, memory): home, the team page and the approval queue show the same. */
export function QuotaMeters({
  usage,
  limits,
  thisRequest,
  size,
  className,
  testId,
}: {
  usage: TeamUsage;
  limits: Resources;
  thisRequest?: Resources;
  size?: "sm" | "md";
  className?: string;
  testId?: string;
}) {
  const lines = quotaLines(usage, limits);
  return (
    <div className={className} data-testid={testId}>
      {METERS.map((m) => (
        <UsageBar key={m.resource} label={m.label} resource={m.resource} line={lines[m.resource]} thisRequest={thisRequest?.[m.resource]} size={size} />
      ))}
    </div>
  );
}
