import Link from "next/link";
import { EmptyState } from "@/components/ui/empty-state";
import { buttonClasses } from "@/components/ui/button";

export default function TeamNotFound() {
  return (
    <EmptyState
      title="Team not found"
      description="There is no such team, or you are not one of its members."
      action={
        <Link href="/" className={buttonClasses({ variant: "secondary" })}>
          Back to my clusters
        </Link>
      }
    />
  );
}
