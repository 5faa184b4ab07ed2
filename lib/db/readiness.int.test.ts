import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { createPrisma } from "@/lib/db/client";
import { checkReadiness } from "@/lib/db/readiness";
import { shippedMigrations } from "@/lib/db/shipped-migrations";
import { testPgAdminUrl, useTestDatabase } from "@/scripts/testenv/per-file";

const migrated = useTestDatabase({ seeded: false });
const emptyName = `vcp_readyz_empty_${process.pid}`;

afterAll(async () => {
  const admin = new pg.Client({ connectionString: testPgAdminUrl() });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${emptyName} WITH (FORCE)`);
  await admin.end();
});

describe("readiness (GET /api/readyz)", () => {
  it("is ready when every shipped migration is applied", async () => {
    expect(shippedMigrations().length).toBeGreaterThanOrEqual(2);
    expect(await checkReadiness(migrated.prisma(), shippedMigrations())).toEqual({ ready: true, database: "ok" });
  });

  it("names a migration this build ships but the database lacks", async () => {
    const r = await checkReadiness(migrated.prisma(), [...shippedMigrations(), "29990101000000_future"]);
    expect(r).toEqual({ ready: false, database: "not-migrated", pendingMigrations: 1, message: "run npm run db:migrate" });
  });

  it("says not migrated on an empty database", async () => {
    const admin = new pg.Client({ connectionString: testPgAdminUrl() });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${emptyName}`);
    await admin.end();
    const url = new URL(testPgAdminUrl());
    url.pathname = `/${emptyName}`;
    const prisma = createPrisma(url.toString(), 1);
    try {
      const r = await checkReadiness(prisma, shippedMigrations());
      expect(r).toMatchObject({ ready: false, database: "not-migrated", message: "run npm run db:migrate" });
    } finally {
      await prisma.$disconnect();
    }
  });

  it("says unreachable, without leaking the driver's error, when the database is down", async () => {
    const prisma = createPrisma("postgres://nobody@127.0.0.1:9/none", 1);
    try {
      expect(await checkReadiness(prisma, shippedMigrations())).toEqual({ ready: false, database: "unreachable", message: "database is not reachable" });
    } finally {
      await prisma.$disconnect();
    }
  });
});
