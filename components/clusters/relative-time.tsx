import { formatAgo, formatExpiry, formatWhen } from "@/components/clusters/format";

/**
 * A <time> with a relative label and the absolute time as its title. Server and browser compute the label
 * at slightly different moments, hence suppressHydrationWarning.
 */
export function RelativeTime({ date, mode = "ago", className }: { date: Date | string; mode?: "ago" | "expiry"; className?: string }) {
  const iso = typeof date === "string" ? date : date.toISOString();
  return (
    <time dateTime={iso} title={formatWhen(date)} className={className} suppressHydrationWarning>
      {mode === "expiry" ? formatExpiry(date) : formatAgo(date)}
    </time>
  );
}
