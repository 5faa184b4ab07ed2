import { toV1Cluster } from "@/lib/api/v1-clusters";
import { deleteCluster, getCluster } from "@/lib/api/v1-operations";
import { deleteCluster as requestDeletion } from "@/lib/domain/delete-cluster";
import { getClusterStatus } from "@/lib/domain/get-cluster-detail";
import { v1Json, v1Route } from "@/lib/server/api-route";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ id: string }> };

/** Also the cluster page's polling source (lib/queries/clusters.ts), with the session cookie. */
export const GET = v1Route(getCluster, async (ctx, _req: Request, { params }: Params) => {
  const { id } = await params;
  return v1Json(getCluster, toV1Cluster(await getClusterStatus(ctx, id)));
});

export const DELETE = v1Route(deleteCluster, async (ctx, _req: Request, { params }: Params) => {
  const { id } = await params;
  await requestDeletion(ctx, { clusterId: id });
  return v1Json(deleteCluster, toV1Cluster(await getClusterStatus(ctx, id)));
});
