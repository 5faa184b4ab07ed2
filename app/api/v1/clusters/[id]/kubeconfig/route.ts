import { downloadKubeconfig } from "@/lib/api/v1-operations";
import { v1Route } from "@/lib/server/api-route";
import { kubeconfigResponse } from "@/lib/server/kubeconfig-response";

export const dynamic = "force-dynamic";

/** Also the cluster page's download link (components/clusters/connect-panel.tsx), with the session cookie. */
export const GET = v1Route(downloadKubeconfig, async (ctx, _req: Request, { params }: { params: Promise<{ id: string }> }) => {
  const { id } = await params;
  return kubeconfigResponse(ctx, id);
});
