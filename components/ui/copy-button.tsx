"use client";

import { Check, Copy } from "lucide-react";
import { useEffect, useState } from "react";
import { toast } from "sonner";
import { cn } from "@/components/ui/cn";

/** Copies `value` to the clipboard; the label says what is copied ("Copy kubectl command"). */
export function CopyButton({ value, label = "Copy", className }: { value: string; label?: string; className?: string }) {
  const [copied, setCopied] = useState(false);

  useEffect(() => {
    if (!copied) return;
    const t = setTimeout(() => setCopied(false), 2000);
    return () => clearTimeout(t);
  }, [copied]);

  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setCopied(true);
    } catch {
      toast.error("Could not copy: your browser blocked clipboard access. Select the text and copy it instead.");
    }
  }

  return (
    <button
      type="button"
      onClick={copy}
      aria-label={label}
      title={label}
      className={cn(
        "inline-flex size-8 shrink-0 items-center justify-center rounded-md text-slate-500 transition-colors hover:bg-slate-200/70 hover:text-slate-900 dark:text-slate-400 dark:hover:bg-slate-700 dark:hover:text-white",
        className,
      )}
    >
      {copied ? <Check className="size-4 text-emerald-600 dark:text-emerald-400" aria-hidden /> : <Copy className="size-4" aria-hidden />}
      <span className="sr-only" aria-live="polite">
        {copied ? "Copied" : ""}
      </span>
    </button>
  );
}

/** A shell command in a monospace block with a copy button. */
export function CommandLine({ command, label }: { command: string; label: string }) {
  return (
    <div className="flex items-center gap-2 rounded-lg bg-slate-100 py-1 pr-1 pl-3 font-mono text-[13px] text-slate-800 dark:bg-slate-800/80 dark:text-slate-100">
      <span aria-hidden className="select-none text-slate-500 dark:text-slate-400">
        $
      </span>
      {/* Scrolls sideways inside its box on a narrow screen; focusable so a keyboard can scroll it too. */}
      <code tabIndex={0} className="min-w-0 flex-1 overflow-x-auto whitespace-nowrap rounded py-1">
        {command}
      </code>
      <CopyButton value={command} label={label} />
    </div>
  );
}
