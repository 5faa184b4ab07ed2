import { parseJsonBody, renameFieldErrors } from "@/app/api/v1/_lib/clusters";
import { toV1Cluster, toV1Summary } from "@/lib/api/v1-clusters";
import { createCluster, listClusters } from "@/lib/api/v1-operations";
import { getClusterStatus } from "@/lib/domain/get-cluster-detail";
import { listMyClusters } from "@/lib/domain/list-my-clusters";
import { requestCluster } from "@/lib/domain/request-cluster";
import { AppError } from "@/lib/errors";
import { v1Json, v1Route } from "@/lib/server/api-route";

export const dynamic = "force-dynamic";

export const GET = v1Route(listClusters, async (ctx) => {
  const clusters = await listMyClusters(ctx);
  return v1Json(listClusters, { clusters: clusters.map(toV1Summary) });
});

export const POST = v1Route(createCluster, async (ctx, req: Request) => {
  const body = await parseJsonBody(req, createCluster.body);
  const team = await ctx.db.team.findUnique({ where: { slug: body.team }, select: { id: true } });
  if (!team) throw new AppError("VALIDATION", "Please correct the highlighted fields.", { team: [`No team "${body.team}"`] });
  const cluster = await requestCluster(ctx, {
    teamId: team.id,
    templateSlug: body.template,
    templateVersion: body.templateVersion,
    name: body.name,
    parameters: body.parameters ?? {},
  }).catch((e: unknown) => {
    throw renameFieldErrors(e);
  });
  const status = await getClusterStatus(ctx, cluster.id);
  return v1Json(createCluster, toV1Cluster(status), { Location: `/api/v1/clusters/${cluster.id}` });
});
