import "server-only";
import type { DomainContext } from "@/lib/domain/context";
import { type DownloadDeps, downloadKubeconfig } from "@/lib/domain/download-kubeconfig";
import { enforceRateLimit } from "@/lib/server/request-rate-limit";

/**
 * The personal kubeconfig of a READY cluster as a file download, for the page's link and the REST API alike.
 * `X-Kubeconfig-Expires-At` says when its token stops working (the file says so in a comment too).
 */
export async function kubeconfigResponse(ctx: DomainContext, clusterId: string, deps: DownloadDeps = {}): Promise<Response> {
  enforceRateLimit("kubeconfig", ctx.actor.id, 30, 10);
  const file = await downloadKubeconfig(ctx, clusterId, deps);
  return new Response(file.body, {
    headers: {
      "Content-Type": file.contentType,
      "Content-Disposition": `attachment; filename="${file.filename}"`,
      "Cache-Control": "no-store",
      "X-Kubeconfig-Expires-At": file.expiresAt.toISOString(),
      "X-Content-Type-Options": "nosniff",
    },
  });
}
