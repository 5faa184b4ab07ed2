import { JSON_HEADERS, toV1Cluster } from "@/app/api/v1/_lib/clusters";
import { deleteCluster } from "@/lib/domain/delete-cluster";
import { getClusterStatus } from "@/lib/domain/get-cluster-detail";
import { apiContext } from "@/lib/server/api-context";
import { apiRoute } from "@/lib/server/api-route";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ id: string }> };

/** One cluster; 404 when it does not exist or belongs to a team the caller is not in. */
export const GET = apiRoute(async (req: Request, { params }: Params) => {
  const { id } = await params;
  const ctx = await apiContext(req);
  return Response.json(toV1Cluster(await getClusterStatus(ctx, id)), { headers: JSON_HEADERS });
});

/** Ask for deletion: 202 with the cluster (phase DELETING); the reconciler removes it from the host. */
export const DELETE = apiRoute(async (req: Request, { params }: Params) => {
  const { id } = await params;
  const ctx = await apiContext(req);
  await deleteCluster(ctx, { clusterId: id });
  return Response.json(toV1Cluster(await getClusterStatus(ctx, id)), { status: 202, headers: JSON_HEADERS });
});
