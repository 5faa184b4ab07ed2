"use client";

import { Pencil } from "lucide-react";
import { type FormEvent, startTransition, useActionState, useId, useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Field, inputClasses } from "@/components/ui/field";
import { ErrorSummary, useFormErrors } from "@/components/ui/field-error-summary";
import { fieldId, type FormErrors } from "@/components/ui/field-errors";
import type { ActionState } from "@/lib/server/action";

export type QuotaFormState = ActionState;

export type QuotaValues = { maxClusters: number; cpuMillicores: number; memoryMiB: number; maxLifetimeHours: number; approvalThresholdPercent: number };

/** The dialog's fields in people's units, with the bounds the server holds them to (lib/domain/update-team-quota.ts). */
const FIELDS = [
  { name: "maxClusters", label: "Clusters", min: 0, max: 10_000, whole: true, example: "5" },
  { name: "cpuCores", label: "CPU (cores)", min: 0, max: 10_000, whole: false, example: "8 or 0.5" },
  { name: "memoryGiB", label: "Memory (GiB)", min: 0, max: 97_656, whole: false, example: "16 or 0.5" },
  { name: "maxLifetimeHours", label: "Max lifetime (hours)", min: 1, max: 8760, whole: true, example: "72" },
  { name: "approvalThresholdPercent", label: "Approval threshold (%)", min: 1, max: 100, whole: true, example: "80" },
] as const;

/** Every field's problem at once, before the form is sent. */
export function quotaFormErrors(form: FormData): FormErrors {
  const errors: FormErrors = {};
  for (const f of FIELDS) {
    const raw = String(form.get(f.name) ?? "").trim();
    const n = raw === "" ? Number.NaN : Number(raw);
    const what = f.label.replace(/ \(.*\)$/, "");
    if (!Number.isFinite(n)) errors[f.name] = [`${what} must be a number, e.g. ${f.example}`];
    else if (f.whole && !Number.isInteger(n)) errors[f.name] = [`${what} must be a whole number`];
    else if (n < f.min) errors[f.name] = [`${what} must be at least ${f.min}`];
    else if (n > f.max) errors[f.name] = [`${what} must be at most ${f.max}`];
  }
  return errors;
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
                    min={f.min}
                    max={f.max}
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
