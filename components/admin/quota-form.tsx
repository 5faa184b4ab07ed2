"use client";

import { Pencil } from "lucide-react";
import { useActionState, useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Field, inputClasses } from "@/components/ui/field";
import type { ActionState } from "@/lib/server/action";

export type QuotaFormState = ActionState;

export type QuotaValues = { maxClusters: number; cpuMillicores: number; memoryMiB: number; maxLifetimeHours: number; approvalThresholdPercent: number };

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
  const q = quota ?? { maxClusters: 0, cpuMillicores: 0, memoryMiB: 0, maxLifetimeHours: 720, approvalThresholdPercent: 100 };
  const errors = !state.ok ? state.fieldErrors : undefined;

  return (
    <>
      <Button size="sm" variant="secondary" icon={<Pencil className="size-3.5" aria-hidden />} onClick={() => setOpen(true)} aria-label={`Edit quota of ${team.name}`}>
        Edit quota
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} title={`Quota of ${team.name}`} description="What the team's live clusters may reserve together. Lowering it never stops running clusters.">
        <form action={formAction} className="space-y-4">
          <input type="hidden" name="teamId" value={team.id} />
          <div className="grid grid-cols-2 gap-4">
            <Field label="Clusters" errors={errors?.maxClusters}>
              {(p) => <input {...p} name="maxClusters" type="number" min={0} step={1} required defaultValue={q.maxClusters} className={inputClasses} />}
            </Field>
            <Field label="CPU (cores)" errors={errors?.cpuCores}>
              {(p) => <input {...p} name="cpuCores" type="number" min={0} step={0.5} required defaultValue={q.cpuMillicores / 1000} className={inputClasses} />}
            </Field>
            <Field label="Memory (GiB)" errors={errors?.memoryGiB}>
              {(p) => <input {...p} name="memoryGiB" type="number" min={0} step={0.5} required defaultValue={q.memoryMiB / 1024} className={inputClasses} />}
            </Field>
            <Field label="Max lifetime (hours)" errors={errors?.maxLifetimeHours}>
              {(p) => <input {...p} name="maxLifetimeHours" type="number" min={1} step={1} required defaultValue={q.maxLifetimeHours} className={inputClasses} />}
            </Field>
            <Field label="Approval threshold (%)" hint="Requests that take the team past this share of any limit need an admin's approval; 100 = only the template decides." errors={errors?.approvalThresholdPercent} className="col-span-2">
              {(p) => <input {...p} name="approvalThresholdPercent" type="number" min={1} max={100} step={1} required defaultValue={q.approvalThresholdPercent} className={inputClasses} />}
            </Field>
          </div>
          <p role="status" aria-live="polite" className="text-sm text-red-700 dark:text-red-400">
            {!state.ok && state.at ? state.message : ""}
          </p>
          <div className="flex justify-end gap-2">
            <Button variant="ghost" onClick={() => setOpen(false)}>Cancel</Button>
            <Button type="submit" loading={pending} loadingText="Saving…">Save quota</Button>
          </div>
        </form>
      </Dialog>
    </>
  );
}
