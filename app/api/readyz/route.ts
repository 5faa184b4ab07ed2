import { db } from "@/lib/db/client";
import { checkReadiness } from "@/lib/db/readiness";
import { shippedMigrations } from "@/lib/db/shipped-migrations";

export const dynamic = "force-dynamic";

/** Readiness: the database is reachable and migrated. */
export async function GET() {
  const readiness = await checkReadiness(db(), shippedMigrations());
  return Response.json(readiness, { status: readiness.ready ? 200 : 503 });
}
