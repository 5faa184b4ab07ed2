import type { ReactNode } from "react";
import { cn } from "@/components/ui/cn";

export type BadgeTone = "neutral" | "info" | "success" | "warning" | "danger" | "brand";

const tones: Record<BadgeTone, string> = {
  neutral: "bg-slate-100 text-slate-700 ring-slate-200 dark:bg-slate-800 dark:text-slate-300 dark:ring-slate-700",
  info: "bg-sky-50 text-sky-800 ring-sky-200 dark:bg-sky-950/60 dark:text-sky-200 dark:ring-sky-900",
  success: "bg-emerald-50 text-emerald-800 ring-emerald-200 dark:bg-emerald-950/60 dark:text-emerald-200 dark:ring-emerald-900",
  warning: "bg-amber-50 text-amber-900 ring-amber-200 dark:bg-amber-950/60 dark:text-amber-200 dark:ring-amber-900",
  danger: "bg-red-50 text-red-800 ring-red-200 dark:bg-red-950/60 dark:text-red-200 dark:ring-red-900",
  brand: "bg-brand-50 text-brand-700 ring-brand-100 dark:bg-brand-700/20 dark:text-brand-100 dark:ring-brand-700/40",
};

const dots: Record<BadgeTone, string> = {
  neutral: "bg-slate-400",
  info: "bg-sky-500",
  success: "bg-emerald-500",
  warning: "bg-amber-500",
  danger: "bg-red-500",
  brand: "bg-brand-500",
};

export function Badge({ tone = "neutral", dot = false, pulse = false, className, children }: { tone?: BadgeTone; dot?: boolean; pulse?: boolean; className?: string; children: ReactNode }) {
  return (
    <span className={cn("inline-flex items-center gap-1.5 rounded-full px-2 py-0.5 text-xs font-medium whitespace-nowrap ring-1 ring-inset", tones[tone], className)}>
      {dot ? (
        <span className="relative flex size-1.5" aria-hidden>
          {pulse ? <span className={cn("absolute inline-flex size-full animate-ping rounded-full opacity-75 motion-reduce:hidden", dots[tone])} /> : null}
          <span className={cn("relative inline-flex size-1.5 rounded-full", dots[tone])} />
        </span>
      ) : null}
      {children}
    </span>
  );
}

// Phase colours. Kept as a plain string map so this file stays free of server-only imports.
const phaseTones: Record<string, BadgeTone> = {
  PENDING_APPROVAL: "warning",
  PROVISIONING: "info",
  READY: "success",
  SLEEPING: "neutral",
  DELETING: "info",
  DELETED: "neutral",
  REJECTED: "danger",
  FAILED: "danger",
  EXPIRED: "neutral",
};

const movingPhases = new Set(["PROVISIONING", "DELETING"]);

export function phaseTone(phase: string): BadgeTone {
  return phaseTones[phase] ?? "neutral";
}

/** A cluster's phase: coloured dot, pulsing while something is happening. `label` comes from phaseLabel(). */
export function PhaseBadge({ phase, label, className }: { phase: string; label: string; className?: string }) {
  return (
    <Badge tone={phaseTone(phase)} dot pulse={movingPhases.has(phase)} className={className}>
      <span data-phase={phase}>{label}</span>
    </Badge>
  );
}
