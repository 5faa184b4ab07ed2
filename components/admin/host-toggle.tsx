"use client";

import { useActionState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import type { ActionState } from "@/lib/server/action";

export type HostToggleState = ActionState;

export function HostToggle({ host, action }: { host: { id: string; name: string; enabled: boolean }; action: (prev: HostToggleState, form: FormData) => Promise<HostToggleState> }) {
  const [, formAction, pending] = useActionState(async (prev: HostToggleState, form: FormData) => {
    const next = await action(prev, form);
    if (next.ok) toast.success(next.message);
    else toast.error(next.message);
    return next;
  }, { ok: false });
  return (
    <form action={formAction}>
      <input type="hidden" name="hostId" value={host.id} />
      <input type="hidden" name="enabled" value={host.enabled ? "false" : "true"} />
      <Button type="submit" size="sm" variant={host.enabled ? "secondary" : "primary"} loading={pending} aria-label={`${host.enabled ? "Disable" : "Enable"} ${host.name}`}>
        {host.enabled ? "Disable" : "Enable"}
      </Button>
    </form>
  );
}
