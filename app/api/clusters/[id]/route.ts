import { getClusterStatus } from "@/lib/domain/get-cluster-detail";
import { apiRoute } from "@/lib/server/api-route";
import { domainContext } from "@/lib/server/domain-context";

export const dynamic = "force-dynamic";

/** The cluster page's polling source: the same status the page renders. 404 for clusters of other teams. */
export const GET = apiRoute(async (_req: Request, { params }: { params: Promise<{ id: string }> }) => {
  const { id } = await params;
  const status = await getClusterStatus(await domainContext(), id);
  return Response.json(status, { headers: { "Cache-Control": "no-store" } });
});
