import { JSON_HEADERS, toV1Cluster } from "@/app/api/v1/_lib/clusters";
import { getClusterStatus } from "@/lib/domain/get-cluster-detail";
import { sleepCluster } from "@/lib/domain/sleep-cluster";
import { v1Route } from "@/lib/server/api-route";

export const dynamic = "force-dynamic";

/** Put a READY cluster to sleep (412 otherwise): 202 with the cluster; the reconciler scales it to zero. */
export const POST = v1Route({ scope: "write" }, async (ctx, _req: Request, { params }: { params: Promise<{ id: string }> }) => {
  const { id } = await params;
  await sleepCluster(ctx, { clusterId: id });
  return Response.json(toV1Cluster(await getClusterStatus(ctx, id)), { status: 202, headers: JSON_HEADERS });
});
