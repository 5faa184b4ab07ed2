"use server";

import type { HostDrainState } from "@/components/admin/host-drain";
import type { HostForgetState } from "@/components/admin/host-forget";
import type { HostLicenceState } from "@/components/admin/host-licence";
import type { HostToggleState } from "@/components/admin/host-toggle";
import { drainHost } from "@/lib/domain/drain-host";
import { forgetHost } from "@/lib/domain/forget-host";
import { removeHostLicence } from "@/lib/domain/remove-host-licence";
import { setHostLicence } from "@/lib/domain/set-host-licence";
import { setHostEnabled } from "@/lib/domain/set-host-enabled";
import { formAction } from "@/lib/server/form-action";

const plural = (n: number, one: string, many: string) => `${n} cluster${n === 1 ? ` ${one}` : `s ${many}`}`;

export const setHostEnabledAction: (prev: HostToggleState, form: FormData) => Promise<HostToggleState> = formAction(setHostEnabled, {
  done: (h) => ({
    message: h.enabled ? `${h.name} takes new clusters again.` : `${h.name} is disabled: it takes no new clusters; existing ones keep running.`,
    revalidate: ["/admin/hosts"],
  }),
});

export const drainHostAction: (prev: HostDrainState, form: FormData) => Promise<HostDrainState> = formAction(drainHost, {
  done: (r) => ({ message: `${r.host} is draining: it takes no new clusters, and ${plural(r.clusters, "is", "are")} being removed.`, revalidate: ["/admin/hosts"] }),
});

export const forgetHostAction: (prev: HostForgetState, form: FormData) => Promise<HostForgetState> = formAction(forgetHost, {
  done: (r) => ({
    message: `${r.host} is forgotten: it takes no new clusters, and ${plural(r.clusters, "was", "were")} marked deleted without contacting it.`,
    revalidate: ["/admin/hosts"],
  }),
});

export const setHostLicenceAction: (prev: HostLicenceState, form: FormData) => Promise<HostLicenceState> = formAction(setHostLicence, {
  secretFields: ["accessKey"],
  done: (r) => ({
    message: `${r.name} has a vCluster Platform licence (${r.platformHost}): its clusters run the licensed control plane from their next install on.`,
    revalidate: ["/admin/hosts"],
  }),
});

export const removeHostLicenceAction: (prev: HostLicenceState, form: FormData) => Promise<HostLicenceState> = formAction(removeHostLicence, {
  done: (r) => ({
    message: r.removed ? `${r.name} has no licence any more: its clusters run the open-source control plane from their next install on.` : `${r.name} had no licence.`,
    revalidate: ["/admin/hosts"],
  }),
});
