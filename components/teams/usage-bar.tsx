import { cn } from "@/components/ui/cn";

/** Pure: share of a limit in percent (0–100+), and its tone. */
export function usageLevel(used: number, limit: number): { percent: number; tone: "ok" | "high" | "over" } {
  if (limit <= 0) return { percent: used > 0 ? 100 : 0, tone: used > 0 ? "over" : "ok" };
  const percent = (used / limit) * 100;
  return { percent, tone: percent > 100 ? "over" : percent >= 80 ? "high" : "ok" };
}

const toneBar = {
  ok: "bg-brand-500 dark:bg-brand-500",
  high: "bg-amber-500 dark:bg-amber-400",
  over: "bg-red-600 dark:bg-red-500",
};

/**
 * A labelled meter: "CPU — 7 of 8 CPU". role="meter" with a text value so screen readers say the numbers,
 * not only a percentage. `after` draws a lighter segment for what would be used after an action.
 */
export function UsageBar({
  label,
  used,
  limit,
  format = (n) => String(n),
  after,
  size = "md",
  className,
}: {
  label: string;
  used: number;
  limit: number;
  format?: (n: number) => string;
  after?: number;
  size?: "sm" | "md";
  className?: string;
}) {
  const now = usageLevel(used, limit);
  const next = after !== undefined ? usageLevel(after, limit) : null;
  const valueText = `${format(used)} of ${format(limit)}${next ? `; ${format(after!)} after approval` : ""}`;
  const tone = next?.tone ?? now.tone;
  return (
    <div className={cn("min-w-0", className)}>
      <div className={cn("flex items-baseline justify-between gap-2", size === "sm" ? "text-xs" : "text-sm")}>
        <span className="font-medium text-slate-700 dark:text-slate-300">{label}</span>
        <span className={cn("tabular-nums", tone === "over" ? "font-semibold text-red-700 dark:text-red-400" : "text-slate-600 dark:text-slate-400")}>
          {next ? (
            <>
              {format(after!)} <span className="text-slate-500 dark:text-slate-400">/ {format(limit)}</span>
            </>
          ) : (
            <>
              {format(used)} <span className="text-slate-500 dark:text-slate-400">/ {format(limit)}</span>
            </>
          )}
        </span>
      </div>
      <div
        role="meter"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={limit}
        aria-valuenow={Math.min(next ? after! : used, Math.max(limit, 0))}
        aria-valuetext={valueText}
        className={cn("relative mt-1 overflow-hidden rounded-full bg-slate-200 dark:bg-slate-800", size === "sm" ? "h-1.5" : "h-2.5")}
      >
        {next ? <div className={cn("absolute inset-y-0 left-0 rounded-full opacity-40", toneBar[next.tone])} style={{ width: `${Math.min(100, next.percent)}%` }} /> : null}
        <div className={cn("absolute inset-y-0 left-0 rounded-full", toneBar[next ? next.tone : now.tone])} style={{ width: `${Math.min(100, now.percent)}%` }} />
      </div>
    </div>
  );
}
