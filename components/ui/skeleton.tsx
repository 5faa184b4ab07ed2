import { cn } from "@/components/ui/cn";

/** A placeholder block while content loads; decorative, so hidden from assistive technology. */
export function Skeleton({ className }: { className?: string }) {
  return <div aria-hidden className={cn("animate-pulse rounded-md bg-slate-200/80 motion-reduce:animate-none dark:bg-slate-800", className)} />;
}
