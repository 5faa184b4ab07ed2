import { v1Route } from "@/lib/server/api-route";
import { kubeconfigResponse } from "@/lib/server/kubeconfig-response";

export const dynamic = "force-dynamic";

/**
 * The admin kubeconfig of a READY cluster (YAML). 404 outside its team, 409 while not ready; audited.
 * A credential, not a read: API tokens need the `write` scope.
 */
export const GET = v1Route({ scope: "write" }, async (ctx, _req: Request, { params }: { params: Promise<{ id: string }> }) => {
  const { id } = await params;
  return kubeconfigResponse(ctx, id);
});
