"use server";

import type { QuotaFormState } from "@/components/admin/quota-form";
import { updateTeamQuota } from "@/lib/domain/update-team-quota";
import { validationError } from "@/lib/errors";
import { ZQuotaSettings, quotaFromSettings } from "@/lib/lifecycle/quota-settings";
import { formAction } from "@/lib/server/form-action";

/**
 * The form speaks people's units (CPU cores, GiB); the use case takes millicores and MiB. Every field is
 * checked here at once, with the dialog's own rules, so a refusal names each wrong field, not only the first.
 */
export const updateTeamQuotaAction: (prev: QuotaFormState, form: FormData) => Promise<QuotaFormState> = formAction(updateTeamQuota, {
  fromForm: ({ teamId, ...fields }) => {
    const settings = ZQuotaSettings.safeParse(fields);
    if (!settings.success) throw validationError(settings.error);
    return { teamId, ...quotaFromSettings(settings.data) };
  },
  fieldNames: { cpuMillicores: "cpuCores", memoryMiB: "memoryGiB" },
  done: (r) => ({ message: r.message, revalidate: ["/admin/teams"] }),
});
