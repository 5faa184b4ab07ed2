import { JSON_HEADERS, toV1Cluster } from "@/app/api/v1/_lib/clusters";
import { getClusterStatus } from "@/lib/domain/get-cluster-detail";
import { wakeCluster } from "@/lib/domain/wake-cluster";
import { v1Route } from "@/lib/server/api-route";

export const dynamic = "force-dynamic";

/** Wake a sleeping cluster: 202 with the cluster (phase PROVISIONING until the control plane is ready). */
export const POST = v1Route({ scope: "write" }, async (ctx, _req: Request, { params }: { params: Promise<{ id: string }> }) => {
  const { id } = await params;
  await wakeCluster(ctx, { clusterId: id });
  return Response.json(toV1Cluster(await getClusterStatus(ctx, id)), { status: 202, headers: JSON_HEADERS });
});
