"use server";

import type { QuotaFormState } from "@/components/admin/quota-form";
import { updateTeamQuota } from "@/lib/domain/update-team-quota";
import { AppError } from "@/lib/errors";
import { formAction } from "@/lib/server/form-action";

/** A number the person typed in people's units (cores, GiB), or NaN when it is none. */
const amount = (v: unknown) => (typeof v === "string" && v.trim() !== "" ? Number(v) : Number.NaN);

/** The form speaks people's units (CPU cores, GiB); the use case takes millicores and MiB. */
export const updateTeamQuotaAction: (prev: QuotaFormState, form: FormData) => Promise<QuotaFormState> = formAction(updateTeamQuota, {
  fromForm: ({ cpuCores, memoryGiB, ...fields }) => {
    const cores = amount(cpuCores);
    const gib = amount(memoryGiB);
    const fieldErrors: Record<string, string[]> = {};
    if (!Number.isFinite(cores) || cores < 0) fieldErrors.cpuCores = ["CPU must be a number of cores, e.g. 8 or 0.5"];
    if (!Number.isFinite(gib) || gib < 0) fieldErrors.memoryGiB = ["Memory must be a number of GiB, e.g. 16 or 0.5"];
    if (Object.keys(fieldErrors).length) throw new AppError("VALIDATION", "Please correct the highlighted fields.", fieldErrors);
    return { ...fields, cpuMillicores: Math.round(cores * 1000), memoryMiB: Math.round(gib * 1024) };
  },
  fieldNames: { cpuMillicores: "cpuCores", memoryMiB: "memoryGiB" },
  done: (r) => ({ message: r.message, revalidate: ["/admin/teams"] }),
});
