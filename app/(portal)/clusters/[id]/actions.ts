"use server";

import { deleteCluster } from "@/lib/domain/delete-cluster";
import { extendCluster } from "@/lib/domain/extend-cluster";
import { retryCluster } from "@/lib/domain/retry-cluster";
import { revokeClusterAccess } from "@/lib/domain/revoke-cluster-access";
import { sleepCluster } from "@/lib/domain/sleep-cluster";
import { wakeCluster } from "@/lib/domain/wake-cluster";
import { formAction } from "@/lib/server/form-action";

// Lifecycle actions of the cluster page. Each use case authorizes (the shared permission table) and
// records intent; the reconciler does the work and the page's polling shows it.

const pages = (id: string) => [`/clusters/${id}`, "/"];

export const sleepClusterAction = formAction(sleepCluster, {
  done: (c) => ({ message: `${c.name} is going to sleep. Wake it any time.`, revalidate: pages(c.id) }),
});

export const wakeClusterAction = formAction(wakeCluster, {
  done: (c) => ({ message: `${c.name} is waking up.`, revalidate: pages(c.id) }),
});

export const extendClusterAction = formAction(extendCluster, {
  done: (c) => {
    const left = c.expiresAt ? Math.round((c.expiresAt.getTime() - Date.now()) / 3600_000) : null;
    return { message: `Extended ${c.name}${left !== null ? `; it now has ${left} h left` : ""}.`, revalidate: pages(c.id) };
  },
});

export const deleteClusterAction = formAction(deleteCluster, {
  done: (c) => ({ message: `${c.name} is being deleted.`, revalidate: pages(c.id) }),
});

export const revokeClusterAccessAction = formAction(revokeClusterAccess, {
  done: (r) => ({ message: r.message, revalidate: [`/clusters/${r.clusterId}`] }),
});

export const retryClusterAction = formAction(retryCluster, {
  done: (c) => ({ message: `Retrying ${c.name}.`, revalidate: pages(c.id) }),
});
