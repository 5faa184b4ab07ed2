import { ChevronLeft, ChevronRight } from "lucide-react";
import Link from "next/link";
import { buttonClasses } from "@/components/ui/button";

/** Builds `path?…` from the current filters with some keys replaced (undefined removes a key). */
export function hrefWith(path: string, params: Record<string, string | undefined>, changes: Record<string, string | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...params, ...changes })) if (v !== undefined && v !== "") q.set(k, v);
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

/** Newer / Older links for keyset pages; the filters stay in the URL. */
export function Pager({ path, params, newerCursor, olderCursor, shown, label = "items" }: { path: string; params: Record<string, string | undefined>; newerCursor: string | null; olderCursor: string | null; shown: number; label?: string }) {
  const base = { ...params, after: undefined, before: undefined };
  const disabled = "pointer-events-none opacity-40";
  return (
    <nav aria-label="Pages" className="flex items-center justify-between gap-3 pt-4 text-sm">
      <p className="text-slate-500 dark:text-slate-400" aria-live="polite">
        {shown} {label} on this page{params.after || params.before ? "" : " (newest first)"}
      </p>
      <div className="flex gap-2">
        {params.after || params.before ? (
          <Link href={hrefWith(path, base, {})} className={buttonClasses({ variant: "ghost", size: "sm" })}>
            Newest
          </Link>
        ) : null}
        <Link
          href={newerCursor ? hrefWith(path, base, { before: newerCursor }) : "#"}
          aria-disabled={!newerCursor || undefined}
          tabIndex={newerCursor ? undefined : -1}
          className={buttonClasses({ variant: "secondary", size: "sm", className: newerCursor ? undefined : disabled })}
          rel="prev"
        >
          <ChevronLeft className="size-4" aria-hidden /> Newer
        </Link>
        <Link
          href={olderCursor ? hrefWith(path, base, { after: olderCursor }) : "#"}
          aria-disabled={!olderCursor || undefined}
          tabIndex={olderCursor ? undefined : -1}
          className={buttonClasses({ variant: "secondary", size: "sm", className: olderCursor ? undefined : disabled })}
          rel="next"
        >
          Older <ChevronRight className="size-4" aria-hidden />
        </Link>
      </div>
    </nav>
  );
}
