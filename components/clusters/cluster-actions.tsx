"use client";

import { Trash2 } from "lucide-react";
import { type ReactNode, useActionState, useState } from "react";
import { type FormAction, initialState, resultText, useActionFeedback } from "@/components/clusters/use-action-feedback";
import { Button, type ButtonVariant } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { Dialog } from "@/components/ui/dialog";
import { Field, inputClasses } from "@/components/ui/field";
import type { ActionState } from "@/lib/server/action";

/** The latest result in a polite live region: announced always, shown when it is an error (toasts show the rest). */
export function ActionMessage({ state, className }: { state: ActionState<unknown>; className?: string }) {
  const { text, error } = resultText(state);
  return (
    <p role="status" aria-live="polite" className={cn(error ? "text-sm text-red-700 dark:text-red-400" : "sr-only", className)}>
      {text}
    </p>
  );
}

/** One-button operations: sleep, wake, retry. */
export function OperationButton({
  action,
  clusterId,
  label,
  pendingLabel,
  icon,
  variant = "secondary",
}: {
  action: FormAction;
  clusterId: string;
  label: string;
  pendingLabel: string;
  icon?: ReactNode;
  variant?: ButtonVariant;
}) {
  const [state, formAction, pending] = useActionState(action, initialState);
  useActionFeedback(state, { clusterId });
  return (
    <form action={formAction}>
      <input type="hidden" name="clusterId" value={clusterId} />
      <Button type="submit" size="sm" variant={variant} loading={pending} loadingText={pendingLabel} icon={icon}>
        {label}
      </Button>
      <ActionMessage state={state} className="sr-only" />
    </form>
  );
}

/** Push the expiry out by some hours, bounded by the template's maximum lifetime. */
export function ExtendForm({ action, clusterId, maxHours }: { action: FormAction; clusterId: string; maxHours: number }) {
  const [state, formAction, pending] = useActionState(action, initialState);
  const [hours, setHours] = useState(String(Math.min(8, maxHours)));
  useActionFeedback(state, { clusterId });
  return (
    <form action={formAction} className="space-y-2" noValidate>
      <input type="hidden" name="clusterId" value={clusterId} />
      <div className="flex items-start gap-2">
        <Field label="Extend by (hours)" errors={state.fieldErrors?.hours} hint={`Up to ${maxHours} h more`} className="flex-1">
          {(p) => <input {...p} name="hours" type="number" inputMode="numeric" min={1} max={maxHours} step={1} required value={hours} onChange={(e) => setHours(e.target.value)} className={cn(inputClasses, "w-full")} />}
        </Field>
        <Button type="submit" variant="secondary" loading={pending} loadingText="Extending…" className="mt-6.5">
          Extend
        </Button>
      </div>
      {/* Announced always; shown only when the error is not already at the field. */}
      <ActionMessage state={state} className={state.fieldErrors?.hours ? "sr-only" : undefined} />
    </form>
  );
}

/** Delete behind a dialog that asks for the cluster's name, so it is never a slip. */
export function DeleteClusterButton({ action, clusterId, clusterName, namespace }: { action: FormAction; clusterId: string; clusterName: string; namespace: string | null }) {
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState("");
  const [state, formAction, pending] = useActionState(action, initialState);
  useActionFeedback(state, {
    clusterId,
    onSuccess: () => {
      setOpen(false);
      setTyped("");
    },
  });
  const matches = typed.trim() === clusterName;
  return (
    <>
      <Button variant="secondary" size="sm" icon={<Trash2 className="size-4" aria-hidden />} onClick={() => setOpen(true)} className="text-red-700 dark:text-red-400">
        Delete
      </Button>
      <Dialog
        open={open}
        onClose={() => {
          if (!pending) setOpen(false);
        }}
        title={`Delete ${clusterName}?`}
        description={
          <>
            This uninstalls the virtual cluster{namespace ? (
              <>
                {" "}
                and deletes the namespace <code className="font-mono text-[13px]">{namespace}</code>
              </>
            ) : null}{" "}
            with everything running in it. It cannot be undone.
          </>
        }
      >
        <form action={formAction} className="space-y-4">
          <input type="hidden" name="clusterId" value={clusterId} />
          <Field
            label={
              <>
                Type <span className="font-mono font-semibold">{clusterName}</span> to confirm
              </>
            }
            errors={!state.ok && state.message ? [state.message] : undefined}
          >
            {(p) => <input {...p} name="confirm" autoComplete="off" spellCheck={false} data-autofocus value={typed} onChange={(e) => setTyped(e.target.value)} className={cn(inputClasses, "font-mono")} />}
          </Field>
          <div className="flex justify-end gap-2">
            <Button variant="ghost" onClick={() => setOpen(false)} disabled={pending}>
              Cancel
            </Button>
            <Button type="submit" variant="danger" disabled={!matches} loading={pending} loadingText="Deleting…">
              Delete cluster
            </Button>
          </div>
        </form>
      </Dialog>
      <ActionMessage state={state} className="sr-only" />
    </>
  );
}
