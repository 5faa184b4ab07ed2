// Helpers for integration tests (`*.int.test.ts`): each test file gets its own database (copied from
// the migrated + seeded template the global setup built) and its own Kubernetes namespace prefix.
import { randomBytes } from "node:crypto";
import path from "node:path";
import { afterAll, beforeAll, expect, inject } from "vitest";
import { createPrisma, type Db } from "@/lib/db/client";
import { createTestDatabase, databaseUrl, uniqueDatabaseName, type TestDatabase } from "./database";

export function testPgAdminUrl(): string {
  const url = inject("TEST_PG_ADMIN_URL") ?? process.env.TEST_PG_ADMIN_URL;
  if (!url) throw new Error("TEST_PG_ADMIN_URL is not set: run integration tests with `npm run test:integration`.");
  return url;
}

/** Admin kubeconfig path of the local host cluster `test` (started or reused by the global setup). */
export function testKubeconfig(): string {
  const file = inject("TEST_KUBECONFIG") ?? process.env.TEST_KUBECONFIG;
  if (!file) throw new Error("TEST_KUBECONFIG is not set: run integration tests with `npm run test:integration`.");
  return file;
}

export interface TestDatabaseHandle {
  /** Connection string of this file's database (also set as process.env.DATABASE_URL). */
  url(): string;
  /** A Prisma client on it, created in beforeAll and disconnected in afterAll. */
  prisma(): Db;
}

/**
 * Call at the top level of a test file. Creates the database in beforeAll (copy of the seeded template,
 * or the migrated-but-empty one with `seeded: false`) and drops it in afterAll. Sets DATABASE_URL right
 * away, so code under test that uses the default client (`db()`, `env()`) talks to this database too.
 */
export function useTestDatabase({ seeded = true }: { seeded?: boolean } = {}): TestDatabaseHandle {
  const name = uniqueDatabaseName();
  const url = databaseUrl(testPgAdminUrl(), name);
  process.env.DATABASE_URL = url;
  let database: TestDatabase | undefined;
  let client: Db | undefined;

  beforeAll(async () => {
    database = await createTestDatabase(testPgAdminUrl(), { seeded, name });
    client = createPrisma(url, 4);
  });
  afterAll(async () => {
    await client?.$disconnect();
    await database?.drop();
  });

  return {
    url: () => url,
    prisma: () => {
      if (!client) throw new Error("useTestDatabase().prisma() is only available in tests and hooks (after beforeAll ran)");
      return client;
    },
  };
}

/**
 * A namespace prefix unique to this test file and run (the same value on every call within the file), e.g. `it-cluster-lifecycle-3f9a1c`
 * (DNS-1123, ≤ 30 chars, so `<prefix>-<name>` still fits a 63-char namespace).
 */
let namespacePrefix: string | undefined;

export function testNamespacePrefix(): string {
  namespacePrefix ??= makeNamespacePrefix();
  return namespacePrefix;
}

function makeNamespacePrefix(): string {
  const testPath = expect.getState().testPath ?? "";
  const slug = path
    .basename(testPath)
    .replace(/\.int\.test\.tsx?$/, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 16)
    .replace(/-+$/, "");
  return `it-${slug ? `${slug}-` : ""}${randomBytes(3).toString("hex")}`;
}
