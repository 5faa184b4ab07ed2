"use client";

import { Rocket } from "lucide-react";
import { useActionState } from "react";
import { ActionMessage } from "@/components/clusters/cluster-actions";
import { type FormAction, initialState, useActionFeedback } from "@/components/clusters/use-action-feedback";
import { Button } from "@/components/ui/button";

/** One click: request a cluster from this template with every default; the action redirects to its page. */
export function CreateButton({ action, templateSlug, templateName, teamId, disabled }: { action: FormAction; templateSlug: string; templateName: string; teamId?: string; disabled?: boolean }) {
  const [state, formAction, pending] = useActionState(action, initialState);
  useActionFeedback(state);
  return (
    <form action={formAction}>
      <input type="hidden" name="templateSlug" value={templateSlug} />
      {teamId ? <input type="hidden" name="teamId" value={teamId} /> : null}
      <Button type="submit" loading={pending} loadingText="Creating…" disabled={disabled} icon={<Rocket className="size-4" aria-hidden />} aria-label={`Create a ${templateName} cluster`}>
        Create
      </Button>
      <ActionMessage state={state} className="sr-only" />
    </form>
  );
}
