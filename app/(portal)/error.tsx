"use client";

import { AlertTriangle } from "lucide-react";
import { useEffect } from "react";
import { Button } from "@/components/ui/button";

/** Unexpected failures inside the portal: the message is masked by Next.js in production; the digest matches the server log. */
export default function PortalError({ error, retry }: { error: unknown; retry: () => void }) {
  const digest = error instanceof Error && "digest" in error ? String((error as Error & { digest?: string }).digest ?? "") : "";
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <div role="alert" className="mx-auto max-w-lg rounded-xl border border-red-200 bg-white p-6 text-center shadow-sm dark:border-red-900/60 dark:bg-slate-900">
      <AlertTriangle className="mx-auto size-8 text-red-500" aria-hidden />
      <h1 className="mt-3 text-lg font-semibold">Something went wrong</h1>
      <p className="mt-1 text-sm text-slate-600 dark:text-slate-300">The page could not be loaded. Try again; if it keeps happening, tell the platform team{digest ? " this reference:" : "."}</p>
      {digest ? <p className="mt-2 font-mono text-xs text-slate-500 dark:text-slate-400">{digest}</p> : null}
      <Button className="mt-4" onClick={() => retry()}>
        Try again
      </Button>
    </div>
  );
}
