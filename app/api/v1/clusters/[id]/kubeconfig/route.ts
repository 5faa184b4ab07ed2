import { v1Route } from "@/lib/server/api-route";
import { kubeconfigResponse } from "@/lib/server/kubeconfig-response";

export const dynamic = "force-dynamic";

/**
 * The caller's personal kubeconfig of a READY cluster (YAML): a ServiceAccount token of their own inside the virtual
 * cluster, valid until the `X-Kubeconfig-Expires-At` header. 404 outside its team, 403 when a lead or admin revoked
 * the caller's access, 409 while not ready; audited.
 * A credential, not a read: API tokens need the `write` scope.
 */
export const GET = v1Route({ scope: "write" }, async (ctx, _req: Request, { params }: { params: Promise<{ id: string }> }) => {
  const { id } = await params;
  return kubeconfigResponse(ctx, id);
});
