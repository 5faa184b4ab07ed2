import { downloadKubeconfig } from "@/lib/domain/download-kubeconfig";
import { apiRoute } from "@/lib/server/api-route";
import { domainContext } from "@/lib/server/domain-context";
import { enforceRateLimit } from "@/lib/server/request-rate-limit";

export const dynamic = "force-dynamic";

/**
 * The kubeconfig of a READY cluster as a file download. 404 for anyone outside its team, 409 with a
 * readable message while it is not ready. Each download is audited by the use case.
 */
export const GET = apiRoute(async (_req: Request, { params }: { params: Promise<{ id: string }> }) => {
  const { id } = await params;
  const ctx = await domainContext();
  enforceRateLimit("kubeconfig", ctx.actor.id, 30, 10);
  const file = await downloadKubeconfig(ctx, id);
  return new Response(file.body, {
    headers: {
      "Content-Type": file.contentType,
      "Content-Disposition": `attachment; filename="${file.filename}"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
});
