"use client";

import { Pencil } from "lucide-react";
import { type FormEvent, startTransition, useActionState, useId, useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Field, inputClasses } from "@/components/ui/field";
import { ErrorSummary, useFormErrors } from "@/components/ui/field-error-summary";
import { fieldId, type FormErrors, zodFormErrors } from "@/components/ui/field-errors";
import { QUOTA_BOUNDS, ZQuotaSettings } from "@/lib/lifecycle/quota-settings";
import type { ActionState } from "@/lib/server/action";

export type QuotaFormState = ActionState;

export type QuotaValues = { maxClusters: number; cpuMillicores: number; memoryMiB: number; maxLifetimeHours: number; approvalThresholdPercent: number };

/** The dialog's fields in people's units; their rules are lib/lifecycle/quota-settings.ts, which the server action checks too. */
const FIELDS = [
  { name: "maxClusters", label: "Clusters", whole: true },
  { name: "cpuCores", label: "CPU (cores)", whole: false },
  { name: "memoryGiB", label: "Memory (GiB)", whole: false },
  { name: "maxLifetimeHours", label: "Max lifetime (hours)", whole: true },
  { name: "approvalThresholdPercent", label: "Approval threshold (%)", whole: true },
] as const;

/** Every field's problem at once, before the form is sent: the same rules and words as the server's answer. */
export function quotaFormErrors(form: FormData): FormErrors {
  const r = ZQuotaSettings.safeParse(Object.fromEntries(FIELDS.map((f) => [f.name, String(form.get(f.name) ?? "")])));
  return r.success ? {} : zodFormErrors(r.error);
}

/** "Edit quota" for one team: a dialog with the quota in cores and GiB. */
export function EditQuotaButton({
  team,
  quota,
  action,
}: {
  team: { id: string; name: string };
  quota: QuotaValues | null;
  action: (prev: QuotaFormState, form: FormData) => Promise<QuotaFormState>;
}) {
  const [open, setOpen] = useState(false);
  const [state, formAction, pending] = useActionState(async (prev: QuotaFormState, form: FormData) => {
    const next = await action(prev, form);
    if (next.ok) {
      if (next.message?.includes("below current use")) toast.warning(next.message);
      else toast.success(next.message);
      setOpen(false);
    }
    return next;
  }, { ok: false });
  // Reopened, the dialog starts over from the saved quota: the last answer belongs to the previous opening.
  const [openedAt, setOpenedAt] = useState<number | undefined>(undefined);
  const current: QuotaFormState = state.at !== openedAt ? state : { ok: false };
  const { errors, message, focusKey, check, reset } = useFormErrors(current);
  const formId = useId();
  const q = quota ?? { maxClusters: 0, cpuMillicores: 0, memoryMiB: 0, maxLifetimeHours: 720, approvalThresholdPercent: 100 };
  const saved: Record<(typeof FIELDS)[number]["name"], number> = {
    maxClusters: q.maxClusters,
    cpuCores: q.cpuMillicores / 1000,
    memoryGiB: q.memoryMiB / 1024,
    maxLifetimeHours: q.maxLifetimeHours,
    approvalThresholdPercent: q.approvalThresholdPercent,
  };
  // After a refusal the fields show what was typed, not the saved quota (React resets a form after its action).
  const typed = !current.ok ? current.values : undefined;

  // Sent by hand so a refused form is not reset by React, and only once every field passes.
  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    if (check(quotaFormErrors(data))) startTransition(() => formAction(data));
  }

  return (
    <>
      <Button size="sm" variant="secondary" icon={<Pencil className="size-3.5" aria-hidden />} onClick={() => {
          setOpenedAt(state.at);
          reset();
          setOpen(true);
        }}
        aria-label={`Edit quota of ${team.name}`}>
        Edit quota
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} title={`Quota of ${team.name}`} description="What the team's live clusters may reserve together. Lowering it never stops running clusters.">
        <form action={formAction} onSubmit={onSubmit} noValidate className="space-y-4">
          <input type="hidden" name="teamId" value={team.id} />
          <ErrorSummary formId={formId} message={message} errors={errors} fields={FIELDS} focusKey={focusKey} />
          <div className="grid grid-cols-2 gap-4">
            {FIELDS.map((f) => (
              <Field
                key={f.name}
                id={fieldId(formId, f.name)}
                label={f.label}
                errors={errors[f.name]}
                className={f.name === "approvalThresholdPercent" ? "col-span-2" : undefined}
                hint={f.name === "approvalThresholdPercent" ? "Requests that take the team past this share of any limit need an admin's approval; 100 = only the template decides." : undefined}
              >
                {(p) => (
                  <input
                    {...p}
                    name={f.name}
                    type="number"
                    inputMode={f.whole ? "numeric" : "decimal"}
                    min={QUOTA_BOUNDS[f.name].min}
                    max={QUOTA_BOUNDS[f.name].max}
                    step={f.whole ? 1 : 0.5}
                    defaultValue={typed?.[f.name] ?? saved[f.name]}
                    className={inputClasses}
                  />
                )}
              </Field>
            ))}
          </div>
          <div className="flex justify-end gap-2">
            <Button variant="ghost" onClick={() => setOpen(false)}>Cancel</Button>
            <Button type="submit" loading={pending} loadingText="Saving…">Save quota</Button>
          </div>
        </form>
      </Dialog>
    </>
  );
}
