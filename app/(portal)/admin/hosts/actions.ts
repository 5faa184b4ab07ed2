"use server";

import { revalidatePath } from "next/cache";
import type { HostDrainState } from "@/components/admin/host-drain";
import type { HostToggleState } from "@/components/admin/host-toggle";
import { drainHost } from "@/lib/domain/drain-host";
import { setHostEnabled } from "@/lib/domain/set-host-enabled";
import { formToObject, runAction } from "@/lib/server/action";
import { domainContext } from "@/lib/server/domain-context";

export async function setHostEnabledAction(_prev: HostToggleState, form: FormData): Promise<HostToggleState> {
  return runAction(async () => {
    const ctx = await domainContext();
    const h = await setHostEnabled(ctx, formToObject(form) as never);
    revalidatePath("/admin/hosts");
    return { message: h.enabled ? `${h.name} takes new clusters again.` : `${h.name} is disabled: it takes no new clusters; existing ones keep running.` };
  });
}

export async function drainHostAction(_prev: HostDrainState, form: FormData): Promise<HostDrainState> {
  return runAction(async () => {
    const ctx = await domainContext();
    const r = await drainHost(ctx, formToObject(form) as never);
    revalidatePath("/admin/hosts");
    return { message: `${r.host} is draining: it takes no new clusters, and ${r.clusters} cluster${r.clusters === 1 ? " is" : "s are"} being removed.` };
  });
}
