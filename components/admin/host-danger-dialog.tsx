"use client";

import { useActionState, useState, type ReactNode } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { Dialog } from "@/components/ui/dialog";
import { Field, inputClasses } from "@/components/ui/field";
import type { ActionState } from "@/lib/server/action";

export type HostDangerState = ActionState;

export type HostDangerCopy = {
  /** The button, e.g. "Drain". */
  verb: string;
  title: string;
  description: ReactNode;
  reasonHint: string;
  submit: string;
  submitting: string;
};

/**
 * A host action that ends every virtual cluster on the host, behind a dialog that asks why (the owners of its
 * clusters read it) and for the host's name, so it is never a slip.
 */
export function HostDangerButton({
  host,
  copy,
  action,
}: {
  host: { id: string; name: string };
  copy: HostDangerCopy;
  action: (prev: HostDangerState, form: FormData) => Promise<HostDangerState>;
}) {
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState("");
  const [state, formAction, pending] = useActionState(async (prev: HostDangerState, form: FormData) => {
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
      <Button size="sm" variant="secondary" className="text-red-700 dark:text-red-400" onClick={() => setOpen(true)} aria-label={`${copy.verb} ${host.name}`}>
        {copy.verb}
      </Button>
      <Dialog open={open} onClose={() => !pending && setOpen(false)} title={copy.title} description={copy.description}>
        <form action={formAction} className="space-y-4">
          <input type="hidden" name="hostId" value={host.id} />
          <Field label="Why" errors={state.fieldErrors?.reason} hint={copy.reasonHint}>
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
            <Button type="submit" variant="danger" disabled={typed.trim() !== host.name} loading={pending} loadingText={copy.submitting}>
              {copy.submit}
            </Button>
          </div>
        </form>
      </Dialog>
    </>
  );
}
