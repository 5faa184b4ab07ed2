import { downloadKubeconfig } from "@/lib/domain/download-kubeconfig";
import { apiContext } from "@/lib/server/api-context";
import { apiRoute } from "@/lib/server/api-route";
import { enforceRateLimit } from "@/lib/server/request-rate-limit";

export const dynamic = "force-dynamic";

/** The admin kubeconfig of a READY cluster (YAML). 404 outside its team, 409 while not ready; audited. */
export const GET = apiRoute(async (req: Request, { params }: { params: Promise<{ id: string }> }) => {
  const { id } = await params;
  const ctx = await apiContext(req);
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
