import { toV1Cluster } from "@/lib/api/v1-clusters";
import { wakeCluster } from "@/lib/api/v1-operations";
import { getClusterStatus } from "@/lib/domain/get-cluster-detail";
import { wakeCluster as requestWake } from "@/lib/domain/wake-cluster";
import { v1Json, v1Route } from "@/lib/server/api-route";

export const dynamic = "force-dynamic";

export const POST = v1Route(wakeCluster, async (ctx, _req: Request, { params }: { params: Promise<{ id: string }> }) => {
  const { id } = await params;
  await requestWake(ctx, { clusterId: id });
  return v1Json(wakeCluster, toV1Cluster(await getClusterStatus(ctx, id)));
});
