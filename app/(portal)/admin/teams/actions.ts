"use server";

import { revalidatePath } from "next/cache";
import type { QuotaFormState } from "@/components/admin/quota-form";
import { updateTeamQuota } from "@/lib/domain/update-team-quota";
import { AppError } from "@/lib/errors";
import { formToObject, runAction } from "@/lib/server/action";
import { domainContext } from "@/lib/server/domain-context";

/** The form speaks people's units (CPU cores, GiB); the use case takes millicores and MiB. */
export async function updateTeamQuotaAction(_prev: QuotaFormState, form: FormData): Promise<QuotaFormState> {
  return runAction(async () => {
    const ctx = await domainContext();
    const raw = formToObject(form) as Record<string, string>;
    const cores = Number(raw.cpuCores);
    const gib = Number(raw.memoryGiB);
    const fieldErrors: Record<string, string[]> = {};
    if (raw.cpuCores === "" || !Number.isFinite(cores) || cores < 0) fieldErrors.cpuCores = ["CPU must be a number of cores, e.g. 8 or 0.5"];
    if (raw.memoryGiB === "" || !Number.isFinite(gib) || gib < 0) fieldErrors.memoryGiB = ["Memory must be a number of GiB, e.g. 16 or 0.5"];
    if (Object.keys(fieldErrors).length) throw new AppError("VALIDATION", "Please correct the highlighted fields.", fieldErrors);
    try {
      const r = await updateTeamQuota(ctx, {
        teamId: raw.teamId ?? "",
        maxClusters: raw.maxClusters ?? "",
        cpuMillicores: Math.round(cores * 1000),
        memoryMiB: Math.round(gib * 1024),
        maxLifetimeHours: raw.maxLifetimeHours ?? "",
        approvalThresholdPercent: raw.approvalThresholdPercent ?? "",
      });
      revalidatePath("/admin/teams");
      return { message: r.message };
    } catch (e) {
      // Report unit-converted fields under the form's names.
      if (e instanceof AppError && e.fieldErrors) {
        const { cpuMillicores, memoryMiB, ...rest } = e.fieldErrors;
        throw new AppError(e.code, e.message, { ...rest, ...(cpuMillicores ? { cpuCores: cpuMillicores } : {}), ...(memoryMiB ? { memoryGiB: memoryMiB } : {}) });
      }
      throw e;
    }
  });
}
