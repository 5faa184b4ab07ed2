import type { PrismaClient } from "@/lib/generated/prisma/client";

export type Readiness = { ready: boolean; database: "ok" | "unreachable" | "not-migrated"; pendingMigrations?: number; message?: string };

/** Ready = the database answers and every migration shipped with this build has been applied. */
export async function checkReadiness(prisma: PrismaClient, expectedMigrations: string[]): Promise<Readiness> {
  let applied: { migration_name: string }[];
  try {
    applied = await prisma.$queryRaw<{ migration_name: string }[]>`
      SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (/_prisma_migrations.*does not exist/i.test(message)) return { ready: false, database: "not-migrated", pendingMigrations: expectedMigrations.length, message: "run npm run db:migrate" };
    return { ready: false, database: "unreachable", message: "database is not reachable" };
  }
  const done = new Set(applied.map((r) => r.migration_name));
  const pending = expectedMigrations.filter((m) => !done.has(m)).length;
  return pending === 0 ? { ready: true, database: "ok" } : { ready: false, database: "not-migrated", pendingMigrations: pending, message: "run npm run db:migrate" };
}
