import { notFound } from "next/navigation";
import { loadVisibleCluster } from "@/lib/domain/load-cluster";
import { isAppError } from "@/lib/errors";
import { domainContext } from "@/lib/server/domain-context";

// Decided above the page's loading state, so a cluster one may not see answers a real 404 (docs/security.md).
export default async function ClusterLayout({ children, params }: { children: React.ReactNode; params: Promise<{ id: string }> }) {
  const { id } = await params;
  const ctx = await domainContext();
  try {
    await loadVisibleCluster(ctx.db, ctx, id);
  } catch (e) {
    if (isAppError(e) && e.code === "NOT_FOUND") notFound();
    throw e;
  }
  return children;
}
