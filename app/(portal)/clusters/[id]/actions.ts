"use server";

import { revalidatePath } from "next/cache";
import { deleteCluster } from "@/lib/domain/delete-cluster";
import { extendCluster } from "@/lib/domain/extend-cluster";
import { retryCluster } from "@/lib/domain/retry-cluster";
import { revokeClusterAccess } from "@/lib/domain/revoke-cluster-access";
import { sleepCluster } from "@/lib/domain/sleep-cluster";
import { wakeCluster } from "@/lib/domain/wake-cluster";
import { type ActionState, runAction } from "@/lib/server/action";
import { domainContext } from "@/lib/server/domain-context";

// Lifecycle actions of the cluster page. Each use case authorizes (the shared permission table) and
// records intent; the reconciler does the work and the page's polling shows it.

const idOf = (form: FormData) => String(form.get("clusterId") ?? "");

function done(id: string, message: string) {
  revalidatePath(`/clusters/${id}`);
  revalidatePath("/");
  return { message };
}

export async function sleepClusterAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  return runAction(async () => {
    const c = await sleepCluster(await domainContext(), { clusterId: idOf(form) });
    return done(c.id, `${c.name} is going to sleep. Wake it any time.`);
  });
}

export async function wakeClusterAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  return runAction(async () => {
    const c = await wakeCluster(await domainContext(), { clusterId: idOf(form) });
    return done(c.id, `${c.name} is waking up.`);
  });
}

export async function extendClusterAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  return runAction(async () => {
    const hours = String(form.get("hours") ?? "");
    const c = await extendCluster(await domainContext(), { clusterId: idOf(form), hours });
    const left = c.expiresAt ? Math.round((c.expiresAt.getTime() - Date.now()) / 3600_000) : null;
    return done(c.id, `Extended ${c.name} by ${hours} h${left !== null ? `; it now has ${left} h left` : ""}.`);
  });
}

export async function deleteClusterAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  return runAction(async () => {
    const c = await deleteCluster(await domainContext(), { clusterId: idOf(form) });
    return done(c.id, `${c.name} is being deleted.`);
  });
}

export async function revokeClusterAccessAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  return runAction(async () => {
    const r = await revokeClusterAccess(await domainContext(), { clusterId: idOf(form), userId: String(form.get("userId") ?? "") });
    revalidatePath(`/clusters/${r.clusterId}`);
    return { message: r.message };
  });
}

export async function retryClusterAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  return runAction(async () => {
    const c = await retryCluster(await domainContext(), { clusterId: idOf(form) });
    return done(c.id, `Retrying ${c.name}.`);
  });
}
