import { JSON_HEADERS, toV1Cluster } from "@/app/api/v1/_lib/clusters";
import { deleteCluster } from "@/lib/domain/delete-cluster";
import { getClusterStatus } from "@/lib/domain/get-cluster-detail";
import { v1Route } from "@/lib/server/api-route";

export const dynamic = "force-dynamic";

type Params = { params: Promise<{ id: string }> };

/** One cluster; 404 when it does not exist or belongs to a team the caller is not in. */
export const GET = v1Route({ scope: "read" }, async (ctx, _req: Request, { params }: Params) => {
  const { id } = await params;
  return Response.json(toV1Cluster(await getClusterStatus(ctx, id)), { headers: JSON_HEADERS });
});

/** Ask for deletion: 202 with the cluster (phase DELETING); the reconciler removes it from the host. */
export const DELETE = v1Route({ scope: "write" }, async (ctx, _req: Request, { params }: Params) => {
  const { id } = await params;
  await deleteCluster(ctx, { clusterId: id });
  return Response.json(toV1Cluster(await getClusterStatus(ctx, id)), { status: 202, headers: JSON_HEADERS });
});
