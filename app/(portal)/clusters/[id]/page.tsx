import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { cache } from "react";
import { ClusterView } from "@/components/clusters/cluster-view";
import { getClusterStatus } from "@/lib/domain/get-cluster-detail";
import { isAppError } from "@/lib/errors";
import { domainContext } from "@/lib/server/domain-context";
import { deleteClusterAction, extendClusterAction, retryClusterAction, sleepClusterAction, wakeClusterAction } from "./actions";

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
  return (
    <ClusterView
      initial={status}
      viewerId={ctx.actor.id}
      actions={{ sleep: sleepClusterAction, wake: wakeClusterAction, extend: extendClusterAction, delete: deleteClusterAction, retry: retryClusterAction }}
    />
  );
}
