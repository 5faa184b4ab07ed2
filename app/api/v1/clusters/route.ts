import { ZCreateClusterBody, JSON_HEADERS, parseJsonBody, renameFieldErrors, toV1Cluster, toV1Summary } from "@/app/api/v1/_lib/clusters";
import { getClusterStatus } from "@/lib/domain/get-cluster-detail";
import { listMyClusters } from "@/lib/domain/list-my-clusters";
import { requestCluster } from "@/lib/domain/request-cluster";
import { AppError } from "@/lib/errors";
import { v1Route } from "@/lib/server/api-route";

export const dynamic = "force-dynamic";

/** The caller's clusters and their teams' clusters (live ones, and those ended in the last day). */
export const GET = v1Route({ scope: "read" }, async (ctx) => {
  const clusters = await listMyClusters(ctx);
  return Response.json({ clusters: clusters.map(toV1Summary) }, { headers: JSON_HEADERS });
});

/** Request a cluster: 201 with it; 400 with fieldErrors; 403 outside the team; 409 name taken; 422 over quota. */
export const POST = v1Route({ scope: "write" }, async (ctx, req: Request) => {
  const body = await parseJsonBody(req, ZCreateClusterBody);
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
  return Response.json(toV1Cluster(status), { status: 201, headers: { ...JSON_HEADERS, Location: `/api/v1/clusters/${cluster.id}` } });
});
