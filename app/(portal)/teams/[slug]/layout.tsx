import { notFound } from "next/navigation";
import { visibleTeam } from "@/lib/domain/team-overview";
import { isAppError } from "@/lib/errors";
import { domainContext } from "@/lib/server/domain-context";

// Decided above the page's loading state, so a team one is not in answers a real 404 (docs/security.md).
export default async function TeamLayout({ children, params }: { children: React.ReactNode; params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const ctx = await domainContext();
  try {
    await visibleTeam(ctx, { slug });
  } catch (e) {
    if (isAppError(e) && (e.code === "NOT_FOUND" || e.code === "VALIDATION")) notFound();
    throw e;
  }
  return children;
}
