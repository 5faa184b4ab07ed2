"use client";

import { useActionState, useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { Dialog } from "@/components/ui/dialog";
import { Field, inputClasses } from "@/components/ui/field";
import type { ActionState } from "@/lib/server/action";

export type HostLicenceState = ActionState;

type Licence = { platformHost: string; project: string; insecure: boolean } | null;

/**
 * A host's vCluster Platform licence (docs/vcluster.md, "A licence per host"): set or replace it, or remove it.
 * The access key is write-only: the form never shows the stored one, and leaving it empty keeps it.
 */
export function HostLicence({
  host,
  licence,
  setAction,
  removeAction,
}: {
  host: { id: string; name: string };
  licence: Licence;
  setAction: (prev: HostLicenceState, form: FormData) => Promise<HostLicenceState>;
  removeAction: (prev: HostLicenceState, form: FormData) => Promise<HostLicenceState>;
}) {
  const [open, setOpen] = useState(false);
  const settle = (next: HostLicenceState) => {
    if (next.ok) {
      toast.success(next.message);
      setOpen(false);
    } else if (!next.fieldErrors) toast.error(next.message);
    return next;
  };
  const [state, submit, saving] = useActionState(async (prev: HostLicenceState, form: FormData) => settle(await setAction(prev, form)), { ok: false });
  const [, remove, removing] = useActionState(async (prev: HostLicenceState, form: FormData) => settle(await removeAction(prev, form)), { ok: false });
  const shown = state.values ?? {};
  const busy = saving || removing;
  return (
    <>
      <Button size="sm" variant="secondary" onClick={() => setOpen(true)} aria-label={`Licence of ${host.name}`}>
        Licence
      </Button>
      <Dialog
        open={open}
        onClose={() => !busy && setOpen(false)}
        title={`vCluster Platform licence for ${host.name}`}
        description="With a licence, clusters on this host run the licensed control plane (vcluster-pro) with the Secret vcluster-platform-api-key in their namespace; without one, the open-source control plane. Running control planes switch at their next install (wake, retry or repair), not at once."
      >
        <form action={submit} className="space-y-4">
          <input type="hidden" name="hostId" value={host.id} />
          <Field label="Platform address" errors={state.fieldErrors?.platformHost} hint="The host name you open vCluster Platform at, e.g. platform.example.com">
            {(p) => (
              <input {...p} name="platformHost" defaultValue={shown.platformHost ?? licence?.platformHost ?? ""} autoComplete="off" spellCheck={false} data-autofocus className={cn(inputClasses, "font-mono")} />
            )}
          </Field>
          <Field
            label="Access key"
            errors={state.fieldErrors?.accessKey}
            hint={licence ? "Stored encrypted and never shown again. Leave empty to keep the stored key." : "Stored encrypted and never shown again."}
          >
            {(p) => <input {...p} name="accessKey" type="password" autoComplete="off" spellCheck={false} className={cn(inputClasses, "font-mono")} />}
          </Field>
          <Field label="Project" errors={state.fieldErrors?.project} hint="The platform project the virtual clusters are imported into (default: default)">
            {(p) => <input {...p} name="project" defaultValue={shown.project ?? licence?.project ?? ""} placeholder="default" autoComplete="off" className={cn(inputClasses, "font-mono")} />}
          </Field>
          <Field inline label="Skip TLS verification of the platform (self-signed certificate)" errors={state.fieldErrors?.insecure}>
            {(p) => <input {...p} type="checkbox" name="insecure" value="true" defaultChecked={shown.insecure ? shown.insecure === "true" : (licence?.insecure ?? false)} className="size-4 accent-brand-600" />}
          </Field>
          <div className="flex flex-wrap justify-end gap-2">
            <Button variant="ghost" onClick={() => setOpen(false)} disabled={busy}>
              Cancel
            </Button>
            {licence ? (
              <Button type="submit" formAction={remove} variant="danger" disabled={busy} loading={removing} loadingText="Removing…">
                Remove licence
              </Button>
            ) : null}
            <Button type="submit" variant="primary" disabled={busy} loading={saving} loadingText="Saving…">
              {licence ? "Save licence" : "Add licence"}
            </Button>
          </div>
        </form>
      </Dialog>
    </>
  );
}
