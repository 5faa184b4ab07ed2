import { SearchX } from "lucide-react";
import Link from "next/link";
import { buttonClasses } from "@/components/ui/button";

export default function ClusterNotFound() {
  return (
    <div className="mx-auto max-w-md py-16 text-center">
      <SearchX className="mx-auto size-10 text-slate-400" aria-hidden />
      <h1 className="mt-4 text-2xl font-semibold tracking-tight">Cluster not found</h1>
      <p className="mt-2 text-sm text-slate-600 dark:text-slate-300">
        It does not exist, or it belongs to a team you are not in. Ask a member of its team if you need access.
      </p>
      <Link href="/" className={buttonClasses({ className: "mt-6" })}>
        Back to my clusters
      </Link>
    </div>
  );
}
