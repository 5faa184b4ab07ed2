import type { ReactNode } from "react";
import { Button } from "@/components/ui/button";
import type { ActionState } from "@/lib/server/action";

/**
 * The body of a "are you sure?" dialog around a server action: its hidden inputs, the refusal if there was one,
 * Cancel (focused first: the safe choice) and the dangerous button.
 */
export function ConfirmForm({
  action,
  state,
  pending,
  onCancel,
  confirmLabel,
  pendingLabel,
  children,
}: {
  action: (form: FormData) => void;
  state: ActionState;
  pending: boolean;
  onCancel: () => void;
  confirmLabel: string;
  pendingLabel: string;
  children: ReactNode;
}) {
  return (
    <form action={action} className="space-y-4">
      {children}
      {!state.ok && state.message ? (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          {state.message}
        </p>
      ) : null}
      <div className="flex justify-end gap-2">
        <Button variant="ghost" onClick={onCancel} disabled={pending} data-autofocus>
          Cancel
        </Button>
        <Button type="submit" variant="danger" loading={pending} loadingText={pendingLabel}>
          {confirmLabel}
        </Button>
      </div>
    </form>
  );
}
