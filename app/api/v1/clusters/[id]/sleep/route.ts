import { toV1Cluster } from "@/lib/api/v1-clusters";
import { sleepCluster } from "@/lib/api/v1-operations";
import { getClusterStatus } from "@/lib/domain/get-cluster-detail";
import { sleepCluster as requestSleep } from "@/lib/domain/sleep-cluster";
import { v1Json, v1Route } from "@/lib/server/api-route";

export const dynamic = "force-dynamic";

export const POST = v1Route(sleepCluster, async (ctx, _req: Request, { params }: { params: Promise<{ id: string }> }) => {
  const { id } = await params;
  await requestSleep(ctx, { clusterId: id });
  return v1Json(sleepCluster, toV1Cluster(await getClusterStatus(ctx, id)));
});
