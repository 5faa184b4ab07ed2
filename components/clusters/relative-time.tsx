"use client";

import { formatAgo, formatExpiry } from "@/components/clusters/format";
import { formatDateTime } from "@/components/ui/datetime";
import { useTimeSettings } from "@/components/ui/local-time";

/**
 * A <time> with a relative label ("3 minutes ago", "in 4 h") and the absolute time, in the person's locale and
 * time zone, as its title. Server and browser compute the label at slightly different moments, hence
 * suppressHydrationWarning.
 */
export function RelativeTime({ date, mode = "ago", className }: { date: Date | string; mode?: "ago" | "expiry"; className?: string }) {
  const settings = useTimeSettings();
  const iso = typeof date === "string" ? date : date.toISOString();
  return (
    <time dateTime={iso} title={formatDateTime(date, settings)} className={className} suppressHydrationWarning>
      {mode === "expiry" ? formatExpiry(date) : formatAgo(date)}
    </time>
  );
}
