import { apiContext } from "@/lib/server/api-context";
import { apiRoute } from "@/lib/server/api-route";
import { kubeconfigResponse } from "@/lib/server/kubeconfig-response";

export const dynamic = "force-dynamic";

/** The admin kubeconfig of a READY cluster (YAML). 404 outside its team, 409 while not ready; audited. */
export const GET = apiRoute(async (req: Request, { params }: { params: Promise<{ id: string }> }) => {
  const { id } = await params;
  return kubeconfigResponse(await apiContext(req), id);
});
