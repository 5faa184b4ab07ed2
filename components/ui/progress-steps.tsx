import { Check, Circle, Loader2, X } from "lucide-react";
import { cn } from "@/components/ui/cn";

export type StepStatus = "done" | "current" | "pending" | "error";
export type Step = { key: string; label: string; status: StepStatus; detail?: string };

const statusText: Record<StepStatus, string> = { done: "done", current: "in progress", pending: "not started", error: "failed" };

/** A vertical list of steps; the current one carries aria-current="step". */
export function ProgressSteps({ steps, label, className }: { steps: Step[]; label: string; className?: string }) {
  return (
    <ol aria-label={label} className={cn("space-y-0", className)}>
      {steps.map((s, i) => (
        <li key={s.key} aria-current={s.status === "current" ? "step" : undefined} className="relative flex gap-3 pb-4 last:pb-0" data-step={s.key} data-status={s.status}>
          {i < steps.length - 1 ? (
            <span aria-hidden className={cn("absolute top-6 left-[11px] h-[calc(100%-1.5rem)] w-px", s.status === "done" ? "bg-emerald-400 dark:bg-emerald-600" : "bg-slate-200 dark:bg-slate-700")} />
          ) : null}
          <span
            aria-hidden
            className={cn(
              "relative z-10 flex size-6 shrink-0 items-center justify-center rounded-full ring-1",
              s.status === "done" && "bg-emerald-500 text-white ring-emerald-500 dark:bg-emerald-600 dark:ring-emerald-600",
              s.status === "current" && "bg-white text-brand-600 ring-brand-500 dark:bg-slate-900 dark:text-brand-100",
              s.status === "pending" && "bg-white text-slate-400 ring-slate-300 dark:bg-slate-900 dark:text-slate-500 dark:ring-slate-600",
              s.status === "error" && "bg-red-600 text-white ring-red-600",
            )}
          >
            {s.status === "done" ? (
              <Check className="size-3.5" />
            ) : s.status === "current" ? (
              <Loader2 className="size-3.5 animate-spin motion-reduce:animate-none" />
            ) : s.status === "error" ? (
              <X className="size-3.5" />
            ) : (
              <Circle className="size-2 fill-current" />
            )}
          </span>
          <div className="min-w-0 pt-0.5">
            <p className={cn("text-sm", s.status === "pending" ? "text-slate-500 dark:text-slate-400" : "font-medium text-slate-900 dark:text-slate-100")}>
              {s.label}
              <span className="sr-only">: {statusText[s.status]}</span>
            </p>
            {s.detail ? <p className="text-xs break-words text-slate-500 dark:text-slate-400">{s.detail}</p> : null}
          </div>
        </li>
      ))}
    </ol>
  );
}
