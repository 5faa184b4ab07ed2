import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { cache } from "react";
import { ClusterAccess } from "@/components/clusters/cluster-access";
import { ClusterView } from "@/components/clusters/cluster-view";
import { getClusterStatus } from "@/lib/domain/get-cluster-detail";
import { listClusterCredentials } from "@/lib/domain/list-cluster-credentials";
import { isAppError } from "@/lib/errors";
import { domainContext } from "@/lib/server/domain-context";
import { deleteClusterAction, extendClusterAction, retryClusterAction, revokeClusterAccessAction, sleepClusterAction, wakeClusterAction } from "./actions";

type Props = { params: Promise<{ id: string }> };

/** Scoped load, once per request: a cluster the person may not see is "not found", exactly like a missing one. */
const load = cache(async (id: string) => {
  const ctx = await domainContext();
  try {
    return { ctx, status: await getClusterStatus(ctx, id) };
  } catch (e) {
    if (isAppError(e) && e.code === "NOT_FOUND") notFound();
    throw e;
  }
});

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { status } = await load((await params).id);
  return { title: status.name };
}

export default async function ClusterPage({ params }: Props) {
  const { ctx, status } = await load((await params).id);
  // Who holds credentials: for the owner, the team's leads and admins (the use case checks the same table).
  const access = status.allowed.access ? await listClusterCredentials(ctx, status.id) : null;
  return (
    <ClusterView
      initial={status}
      viewerId={ctx.actor.id}
      accessPanel={access ? <ClusterAccess clusterId={status.id} clusterName={status.name} access={access} revokeAction={revokeClusterAccessAction} /> : undefined}
      actions={{ sleep: sleepClusterAction, wake: wakeClusterAction, extend: extendClusterAction, delete: deleteClusterAction, retry: retryClusterAction }}
    />
  );
}
