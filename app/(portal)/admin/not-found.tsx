import Link from "next/link";
import { EmptyState } from "@/components/ui/empty-state";
import { buttonClasses } from "@/components/ui/button";

export default function AdminNotFound() {
  return (
    <EmptyState
      title="Page not found"
      description="This page does not exist, or you do not have access to it."
      action={
        <Link href="/" className={buttonClasses({ variant: "secondary" })}>
          Back to my clusters
        </Link>
      }
    />
  );
}
