"use client";

import { useActionState, useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import type { ActionState } from "@/lib/server/action";

export type HostToggleState = ActionState;

/**
 * Enable (one click) or disable a host. Disabling asks first and says what it means — above all when it is the
 * only enabled host, since then nobody can get a new cluster.
 */
export function HostToggle({
  host,
  onlyEnabledHost,
  action,
}: {
  host: { id: string; name: string; enabled: boolean };
  onlyEnabledHost: boolean;
  action: (prev: HostToggleState, form: FormData) => Promise<HostToggleState>;
}) {
  const [confirming, setConfirming] = useState(false);
  const [, formAction, pending] = useActionState(async (prev: HostToggleState, form: FormData) => {
    const next = await action(prev, form);
    if (next.ok) toast.success(next.message);
    else toast.error(next.message);
    setConfirming(false);
    return next;
  }, { ok: false });
  const form = (submit: React.ReactNode) => (
    <form action={formAction}>
      <input type="hidden" name="hostId" value={host.id} />
      <input type="hidden" name="enabled" value={host.enabled ? "false" : "true"} />
      {submit}
    </form>
  );
  if (!host.enabled) {
    return form(
      <Button type="submit" size="sm" variant="primary" loading={pending} aria-label={`Enable ${host.name}`}>
        Enable
      </Button>,
    );
  }
  return (
    <>
      <Button size="sm" variant="secondary" onClick={() => setConfirming(true)} aria-label={`Disable ${host.name}`}>
        Disable
      </Button>
      <Dialog
        open={confirming}
        onClose={() => !pending && setConfirming(false)}
        title={`Disable ${host.name}?`}
        description={
          onlyEnabledHost
            ? "It is the only enabled host: until one is enabled again, nobody can get a new virtual cluster. The clusters on it keep running."
            : "It takes no new virtual clusters; the ones on it keep running and can still be slept, woken and deleted."
        }
      >
        <div className="flex justify-end gap-2">
          <Button variant="ghost" onClick={() => setConfirming(false)} disabled={pending} data-autofocus>
            Cancel
          </Button>
          {form(
            <Button type="submit" variant="danger" loading={pending} loadingText="Disabling…">
              Disable host
            </Button>,
          )}
        </div>
      </Dialog>
    </>
  );
}
