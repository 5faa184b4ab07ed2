"use server";

import { revalidatePath } from "next/cache";
import type { DecideState } from "@/components/approvals/approval-queue";
import { decideApprovals } from "@/lib/domain/decide-approvals";
import { formToObject, runAction } from "@/lib/server/action";
import { domainContext } from "@/lib/server/domain-context";

/** Approve or reject one or several requests (form fields: decision, clusterId…, reason). */
export async function decideApprovalsAction(_prev: DecideState, form: FormData): Promise<DecideState> {
  return runAction(async () => {
    const ctx = await domainContext();
    const raw = formToObject(form);
    const clusterIds = ([] as unknown[]).concat(raw.clusterId ?? []).map(String);
    const r = await decideApprovals(ctx, { decision: raw.decision as "approve" | "reject", clusterIds, reason: typeof raw.reason === "string" ? raw.reason : undefined });
    revalidatePath("/admin/approvals");
    const verb = r.decision === "approve" ? "Approved" : "Rejected";
    const what = (n: number) => `${n} request${n === 1 ? "" : "s"}`;
    const message =
      r.failed === 0
        ? r.succeeded === 1
          ? `${verb} ${r.results[0]!.name}.`
          : `${verb} ${what(r.succeeded)}.`
        : `${verb} ${r.succeeded} of ${what(r.results.length)}; ${r.failed} could not be ${r.decision === "approve" ? "approved" : "rejected"}.`;
    return { message, data: { decision: r.decision, results: r.results } };
  });
}
