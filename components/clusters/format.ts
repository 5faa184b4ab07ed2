import { differenceInMinutes, formatDistanceToNowStrict } from "date-fns";

// Relative labels for lists and headers. The absolute time (components/ui/datetime.ts) goes with each as its
// title: components/clusters/relative-time.tsx.

const toDate = (d: Date | string) => (typeof d === "string" ? new Date(d) : d);

/** "in 45 min", "in 3 h", "in 2 days"; "expired" once past. Short, for lists and headers. */
export function formatExpiry(expiresAt: Date | string, now: Date = new Date()): string {
  const minutes = differenceInMinutes(toDate(expiresAt), now);
  if (minutes <= 0) return "expired";
  if (minutes < 60) return `in ${minutes} min`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `in ${hours} h`;
  return `in ${Math.round(hours / 24)} days`;
}

/** "3 minutes ago". */
export function formatAgo(d: Date | string): string {
  return formatDistanceToNowStrict(toDate(d), { addSuffix: true });
}
