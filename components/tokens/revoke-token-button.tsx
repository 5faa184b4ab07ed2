"use client";

import { Ban } from "lucide-react";
import { useActionState, useState } from "react";
import { ActionMessage } from "@/components/clusters/cluster-actions";
import { initialState, useActionFeedback } from "@/components/clusters/use-action-feedback";
import type { RevokeTokenAction } from "@/components/tokens/types";
import { Button } from "@/components/ui/button";
import { ConfirmForm } from "@/components/ui/confirm-form";
import { Dialog } from "@/components/ui/dialog";

/** Revoke behind a confirmation dialog: scripts using the token fail from their next request on. */
export function RevokeTokenButton({ action, token, owner }: { action: RevokeTokenAction; token: { id: string; name: string; prefix: string }; owner?: string }) {
  const [open, setOpen] = useState(false);
  const [state, formAction, pending] = useActionState(action, initialState);
  useActionFeedback(state, { onSuccess: () => setOpen(false) });
  return (
    <>
      <Button variant="secondary" size="sm" icon={<Ban className="size-4" aria-hidden />} onClick={() => setOpen(true)} className="text-red-700 dark:text-red-400" aria-label={`Revoke token ${token.name}`}>
        Revoke
      </Button>
      <Dialog
        open={open}
        onClose={() => {
          if (!pending) setOpen(false);
        }}
        title={`Revoke token ${token.name}?`}
        description={
          <>
            Every request with <code className="font-mono text-[13px]">{token.prefix}…</code>
            {owner ? <> (owned by {owner})</> : null} gets <strong>401</strong> from now on. Scripts and CI jobs that use it stop working. This cannot be undone.
          </>
        }
      >
        <ConfirmForm action={formAction} state={state} pending={pending} onCancel={() => setOpen(false)} confirmLabel="Revoke token" pendingLabel="Revoking…">
          <input type="hidden" name="tokenId" value={token.id} />
        </ConfirmForm>
      </Dialog>
      <ActionMessage state={state} className="sr-only" />
    </>
  );
}
