"use client";

import { useActionState, useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { Dialog } from "@/components/ui/dialog";
import { Field, inputClasses } from "@/components/ui/field";
import type { ActionState } from "@/lib/server/action";

export type HostDrainState = ActionState;

/**
 * "Drain" behind a dialog that asks why (the owners of its clusters read it) and for the host's name: it ends
 * every virtual cluster on the host, so it must never be a slip.
 */
export function HostDrainButton({
  host,
  liveClusters,
  action,
}: {
  host: { id: string; name: string };
  liveClusters: number;
  action: (prev: HostDrainState, form: FormData) => Promise<HostDrainState>;
}) {
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState("");
  const [state, formAction, pending] = useActionState(async (prev: HostDrainState, form: FormData) => {
    const next = await action(prev, form);
    if (next.ok) {
      toast.success(next.message);
      setOpen(false);
      setTyped("");
    } else if (!next.fieldErrors) toast.error(next.message);
    return next;
  }, { ok: false });
  return (
    <>
      <Button size="sm" variant="secondary" className="text-red-700 dark:text-red-400" onClick={() => setOpen(true)} aria-label={`Drain ${host.name}`}>
        Drain
      </Button>
      <Dialog
        open={open}
        onClose={() => !pending && setOpen(false)}
        title={`Drain ${host.name}?`}
        description={`The host stops taking clusters and the ${liveClusters} virtual cluster${liveClusters === 1 ? "" : "s"} on it are removed — their control planes and data live on this host. Each owner sees your reason on the cluster's page.`}
      >
        <form action={formAction} className="space-y-4">
          <input type="hidden" name="hostId" value={host.id} />
          <Field label="Why" errors={state.fieldErrors?.reason} hint="e.g. the host is being retired on Friday">
            {(p) => <textarea {...p} name="reason" rows={2} data-autofocus className={inputClasses} />}
          </Field>
          <Field
            label={
              <>
                Type <span className="font-mono font-semibold">{host.name}</span> to confirm
              </>
            }
            errors={state.fieldErrors?.confirm}
          >
            {(p) => <input {...p} name="confirm" autoComplete="off" spellCheck={false} value={typed} onChange={(e) => setTyped(e.target.value)} className={cn(inputClasses, "font-mono")} />}
          </Field>
          <div className="flex justify-end gap-2">
            <Button variant="ghost" onClick={() => setOpen(false)} disabled={pending}>
              Cancel
            </Button>
            <Button type="submit" variant="danger" disabled={typed.trim() !== host.name} loading={pending} loadingText="Draining…">
              Drain host
            </Button>
          </div>
        </form>
      </Dialog>
    </>
  );
}
