import { apiRoute } from "@/lib/server/api-route";
import { domainContext } from "@/lib/server/domain-context";
import { kubeconfigResponse } from "@/lib/server/kubeconfig-response";

export const dynamic = "force-dynamic";

/**
 * The person's own kubeconfig of a READY cluster as a file download (a personal token; X-Kubeconfig-Expires-At).
 * 404 for anyone outside its team, 403 once their access was revoked, 409 with a readable message while it is not
 * ready. Each download is audited by the use case.
 */
export const GET = apiRoute(async (_req: Request, { params }: { params: Promise<{ id: string }> }) => {
  const { id } = await params;
  return kubeconfigResponse(await domainContext(), id);
});
