"use server";

import type { DecideState } from "@/components/approvals/approval-queue";
import { decideApprovals } from "@/lib/domain/decide-approvals";
import { formAction } from "@/lib/server/form-action";

const what = (n: number) => `${n} request${n === 1 ? "" : "s"}`;

/** Approve or reject one or several requests (form fields: decision, clusterId…, reason). */
export const decideApprovalsAction: (prev: DecideState, form: FormData) => Promise<DecideState> = formAction(decideApprovals, {
  fromForm: (f) => ({ decision: f.decision, clusterIds: ([] as unknown[]).concat(f.clusterId ?? []), reason: f.reason }),
  fieldNames: { clusterIds: "clusterId" },
  done: (r) => {
    const verb = r.decision === "approve" ? "Approved" : "Rejected";
    const message =
      r.failed === 0
        ? r.succeeded === 1
          ? `${verb} ${r.results[0]!.name}.`
          : `${verb} ${what(r.succeeded)}.`
        : `${verb} ${r.succeeded} of ${what(r.results.length)}; ${r.failed} could not be ${r.decision === "approve" ? "approved" : "rejected"}.`;
    return { message, data: { decision: r.decision, results: r.results }, revalidate: ["/admin/approvals"] };
  },
});
