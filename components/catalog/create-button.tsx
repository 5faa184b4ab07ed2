"use client";

import { AlertCircle, Rocket } from "lucide-react";
import Link from "next/link";
import { useActionState } from "react";
import { type FormAction, initialState, useActionFeedback } from "@/components/clusters/use-action-feedback";
import { Button } from "@/components/ui/button";

/**
 * One click: request a cluster from this template with every default; the action redirects to its page.
 * A failure stays on the card (a toast would vanish) with a way on: the customize form, where the size,
 * team and lifetime can be changed.
 */
export function CreateButton({ action, templateSlug, templateName, teamId, disabled }: { action: FormAction; templateSlug: string; templateName: string; teamId?: string; disabled?: boolean }) {
  const [state, formAction, pending] = useActionState(action, initialState);
  useActionFeedback(state, { toastErrors: false });
  const failed = !state.ok && !!state.message && !pending;
  return (
    <>
      <form action={formAction}>
        <input type="hidden" name="templateSlug" value={templateSlug} />
        {teamId ? <input type="hidden" name="teamId" value={teamId} /> : null}
        <Button type="submit" loading={pending} loadingText="Creating…" disabled={disabled} icon={<Rocket className="size-4" aria-hidden />} aria-label={`Create a ${templateName} cluster`}>
          Create
        </Button>
      </form>
      <div role="alert" className="order-last basis-full empty:hidden" data-testid="create-error">
        {failed ? (
          <div className="flex gap-2 rounded-lg border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-900 dark:bg-red-950/40 dark:text-red-200">
            <AlertCircle className="mt-0.5 size-4 shrink-0" aria-hidden />
            <p>
              {state.message}{" "}
              <Link href={`/request/${templateSlug}`} className="font-medium underline underline-offset-2">
                Customize the request
              </Link>
            </p>
          </div>
        ) : null}
      </div>
    </>
  );
}
