import type { Metadata } from "next";
import { CheckCircle2 } from "lucide-react";
import { ApprovalQueue, QueueBadge, type QueueItem } from "@/components/approvals/approval-queue";
import { PageHeader } from "@/components/admin/page-header";
import { EmptyState } from "@/components/ui/empty-state";
import { listPendingApprovals, PENDING_APPROVALS_LIMIT } from "@/lib/domain/list-pending-approvals";
import { adminContext } from "../guard";
import { decideApprovalsAction } from "./actions";

export const metadata: Metadata = { title: "Approvals" };

export default async function ApprovalsPage() {
  const ctx = await adminContext("approval.decide");
  const pending = await listPendingApprovals(ctx);
  const items: QueueItem[] = pending.map((p) => ({ ...p, requestedAt: p.requestedAt.toISOString(), impact: { ...p.impact, limits: p.impact.limits } }));

  return (
    <div>
      <PageHeader
        title="Approvals"
        description="Requests from templates that need an admin, or that cross a team's approval threshold. Oldest first; the bars show what the team has in use (solid) and what waits for approval (striped; the request itself striped the other way)."
        actions={<QueueBadge count={items.length} more={items.length >= PENDING_APPROVALS_LIMIT} />}
      />
      {items.length >= PENDING_APPROVALS_LIMIT ? (
        <p role="note" className="mb-3 text-sm text-amber-800 dark:text-amber-300">
          Showing the oldest {PENDING_APPROVALS_LIMIT} requests; decide these to see the next ones.
        </p>
      ) : null}
      {items.length === 0 ? (
        <EmptyState icon={<CheckCircle2 className="size-5" />} title="Nothing to approve" description="New requests that need an admin's approval show up here." />
      ) : (
        <ApprovalQueue items={items} action={decideApprovalsAction} />
      )}
    </div>
  );
}
