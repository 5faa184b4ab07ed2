import { SearchX } from "lucide-react";
import Link from "next/link";
import { buttonClasses } from "@/components/ui/button";

export default function NotFound() {
  return (
    <main className="flex min-h-[60vh] items-center justify-center px-4 py-16">
      <div className="max-w-md text-center">
        <SearchX className="mx-auto size-10 text-slate-400" aria-hidden />
        <h1 className="mt-4 text-2xl font-semibold tracking-tight">Page not found</h1>
        <p className="mt-2 text-sm text-slate-600 dark:text-slate-300">There is nothing here, or you do not have access to it.</p>
        <Link href="/" className={buttonClasses({ className: "mt-6" })}>
          Back to my clusters
        </Link>
      </div>
    </main>
  );
}
