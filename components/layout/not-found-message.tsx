import { SearchX } from "lucide-react";
import Link from "next/link";
import type { ReactNode } from "react";
import { buttonClasses } from "@/components/ui/button";

/** What every not-found page says: the page's one h1, why, and the way back. */
export function NotFoundMessage({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="mx-auto max-w-md py-16 text-center">
      <SearchX className="mx-auto size-10 text-slate-500 dark:text-slate-400" aria-hidden />
      <h1 className="mt-4 text-2xl font-semibold tracking-tight">{title}</h1>
      <p className="mt-2 text-sm text-slate-600 dark:text-slate-300">{children}</p>
      <Link href="/" className={buttonClasses({ className: "mt-6" })}>
        Back to my clusters
      </Link>
    </div>
  );
}
