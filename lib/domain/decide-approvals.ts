import { z } from "zod";
import { approveRequest } from "@/lib/domain/approve-request";
import { rejectRequest } from "@/lib/domain/reject-request";
import { isAppError } from "@/lib/errors";
import { log } from "@/lib/log";
import { defineUseCase } from "@/lib/domain/use-case";

export const ZDecideApprovals = z
  .object({
    decision: z.enum(["approve", "reject"], { error: "Choose approve or reject" }),
    clusterIds: z.array(z.string().min(1)).min(1, "Select at least one request").max(100, "Decide at most 100 requests at once"),
    reason: z.string().trim().max(500, "Keep the reason under 500 characters").optional(),
  })
  .refine((v) => v.decision !== "reject" || (v.reason ?? "").length >= 3, { message: "Say why, so the requester can act on it", path: ["reason"] });
export type TDecideApprovals = z.input<typeof ZDecideApprovals>;

export type DecisionResult = { clusterId: string; ok: boolean; name?: string; message: string };

/**
 * Approve or reject several requests. Each one is its own use case call (own transaction, CAS, audit
 * event), so one that changed meanwhile fails alone and the rest still go through; the result says
 * what happened to every id.
 */
export const decideApprovals = defineUseCase({
  name: "approval.decide",
  input: ZDecideApprovals,
  permission: { action: "approval.decide", refusal: "Only admins can decide on requests." },
  run: async (ctx, input) => {
    const ids = [...new Set(input.clusterIds)];
    const results: DecisionResult[] = [];
    for (const clusterId of ids) {
      try {
        const c =
          input.decision === "approve"
            ? await approveRequest(ctx, { clusterId, reason: input.reason || undefined })
            : await rejectRequest(ctx, { clusterId, reason: input.reason ?? "" });
        results.push({ clusterId, ok: true, name: c.name, message: `${c.name} ${input.decision === "approve" ? "approved" : "rejected"}` });
      } catch (e) {
        if (!isAppError(e)) log.error({ err: e, clusterId, requestId: ctx.requestId }, "approval decision failed");
        results.push({ clusterId, ok: false, message: isAppError(e) ? e.message : "Something went wrong on our side." });
      }
    }
    const succeeded = results.filter((r) => r.ok).length;
    return { decision: input.decision, results, succeeded, failed: results.length - succeeded };
  },
});
