// Integration tier: the migration path end to end, with the stock Prisma CLI and our offline
// schema-engine shim (docs/migrations.md) against a real PostgreSQL.
// Needs TEST_PG_ADMIN_URL = a superuser URL (postgres://postgres@localhost:PORT/postgres), provided by
// the vitest globalSetup; every test database is created here under a unique name and dropped after.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const migrationsDir = join(root, "prisma/migrations");
const schemaPath = join(root, "prisma/schema.prisma");
const migrationNames = readdirSync(migrationsDir, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

const adminUrl = process.env.TEST_PG_ADMIN_URL;
const created: string[] = [];
const tempDirs: string[] = [];

function urlFor(database: string): string {
  const u = new URL(adminUrl!);
  u.pathname = `/${database}`;
  return u.toString();
}

async function sql<T extends pg.QueryResultRow = pg.QueryResultRow>(url: string, text: string, values?: unknown[]) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query<T>(text, values);
  } finally {
    await client.end();
  }
}

async function createDatabase(): Promise<string> {
  const name = `vcp_migrations_${process.pid}_${randomBytes(4).toString("hex")}`;
  await sql(adminUrl!, `CREATE DATABASE "${name}"`);
  created.push(name);
  return urlFor(name);
}

type Run = { code: number | null; stdout: string; stderr: string };

function run(command: string, args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, {
      cwd: root,
      env: { ...process.env, CHECKPOINT_DISABLE: "1", PRISMA_HIDE_UPDATE_MESSAGE: "1", ...env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolvePromise({ code, stdout, stderr }));
  });
}

/** The stock Prisma CLI on the project's Node; prisma.config.ts points it at the shim. */
const prisma = (args: string[], databaseUrl: string) =>
  run(process.execPath, [join(root, "node_modules/prisma/build/index.js"), ...args], {
    DATABASE_URL: databaseUrl,
    // Explicit, so temporary config files (which do not set it) use the shim too.
    PRISMA_SCHEMA_ENGINE_BINARY: join(root, "scripts/prisma/schema-engine"),
  });

/** A throwaway copy of the migrations folder plus a config file that uses it. */
function tempMigrations(keep: (name: string) => boolean): { dir: string; config: string } {
  const base = mkdtempSync(join(tmpdir(), "vcp-migrations-"));
  tempDirs.push(base);
  const dir = join(base, "migrations");
  mkdirSync(dir);
  cpSync(join(migrationsDir, "migration_lock.toml"), join(dir, "migration_lock.toml"));
  for (const name of migrationNames.filter(keep)) cpSync(join(migrationsDir, name), join(dir, name), { recursive: true });
  const config = join(base, "prisma.config.mjs");
  writeFileSync(
    config,
    `export default {\n  schema: ${JSON.stringify(schemaPath)},\n  migrations: { path: ${JSON.stringify(dir)} },\n` +
      `  datasource: { url: process.env.DATABASE_URL },\n};\n`,
  );
  return { dir, config };
}

const output = (r: Run) => `exit ${r.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;

beforeAll(() => {
  if (!adminUrl) {
    throw new Error("TEST_PG_ADMIN_URL is not set: the integration tier's globalSetup provides a PostgreSQL superuser URL.");
  }
});

afterAll(async () => {
  for (const name of created) await sql(adminUrl!, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
}, 60_000);

describe("prisma migrations", { timeout: 120_000 }, () => {
  let db: string;

  it("the wasm schema engine is the build the Prisma CLI expects (bump both together)", async () => {
    const readJson = (p: string) => JSON.parse(readFileSync(join(root, "node_modules", p, "package.json"), "utf8"));
    const cliEngines: string = readJson("@prisma/engines-version").prisma.enginesVersion;
    expect(readJson("@prisma/schema-engine-wasm").version).toMatch(new RegExp(`[.-]${cliEngines}$`));
    const r = await run(join(root, "scripts/prisma/schema-engine"), ["--version"], {});
    expect(r.stdout.trim()).toBe(`schema-engine-cli ${cliEngines}`);
  });

  beforeAll(async () => {
    db = await createDatabase();
  });

  it("migrate deploy applies every migration to an empty database", async () => {
    const r = await prisma(["migrate", "deploy"], db);
    expect(r.code, output(r)).toBe(0);
    const { rows } = await sql<{ migration_name: string; finished: boolean }>(
      db,
      `SELECT migration_name, finished_at IS NOT NULL AS finished FROM _prisma_migrations ORDER BY migration_name`,
    );
    expect(rows).toEqual(migrationNames.map((migration_name) => ({ migration_name, finished: true })));
  });

  it("the migrated database has no drift from schema.prisma", async () => {
    const r = await prisma(["migrate", "diff", "--from-config-datasource", "--to-schema", schemaPath, "--exit-code"], db);
    expect(r.code, output(r)).toBe(0);
    expect(r.stdout).toContain("No difference detected");
  });

  it("the migrations folder is complete for schema.prisma (no forgotten migration)", async () => {
    const r = await prisma(["migrate", "diff", "--from-migrations", migrationsDir, "--to-schema", schemaPath, "--exit-code"], db);
    expect(r.code, output(r)).toBe(0);
  });

  it("migrate status reports the database up to date", async () => {
    const r = await prisma(["migrate", "status"], db);
    expect(r.code, output(r)).toBe(0);
    expect(r.stdout).toContain("Database schema is up to date");
  });

  describe("hand-written rules", () => {
    beforeAll(async () => {
      await sql(
        db,
        `INSERT INTO "User" (id, email, "updatedAt") VALUES ('u1', 'owner@example.com', now());
         INSERT INTO "Team" (id, slug, name, "updatedAt") VALUES ('t1', 'team', 'Team', now());
         INSERT INTO "Template" (id, slug, name, description, "updatedAt") VALUES ('tp1', 'small', 'Small', '', now());
         INSERT INTO "TemplateVersion" (id, "templateId", version, "kubernetesVersion", "chartVersion", "valuesYaml",
                                        "cpuMillicores", "memoryMiB", "defaultTtlHours", "maxTtlHours")
           VALUES ('tv1', 'tp1', 1, '1.33', '0.26.0', '', 1000, 1024, 24, 72);`,
      );
    });

    const insertCluster = (id: string, phase: string) =>
      sql(
        db,
        `INSERT INTO "VirtualCluster" (id, name, "teamId", "ownerId", "templateVersionId", "cpuMillicores", "memoryMiB", phase, "updatedAt")
         VALUES ($1, 'dev', 't1', 'u1', 'tv1', 1000, 1024, $2::"ClusterPhase", now())`,
        [id, phase],
      );

    it("a cluster name is unique among a team's live clusters only", async () => {
      await insertCluster("c1", "READY");
      await expect(insertCluster("c2", "PROVISIONING")).rejects.toMatchObject({
        code: "23505",
        constraint: "VirtualCluster_team_name_live_key",
      });
      await sql(db, `UPDATE "VirtualCluster" SET phase = 'DELETED' WHERE id = 'c1'`);
      await insertCluster("c2", "PROVISIONING"); // the name is free again
      await insertCluster("c3", "EXPIRED"); // ended clusters never collide
    });

    it("AuditEvent is append-only: UPDATE and DELETE are rejected", async () => {
      await sql(
        db,
        `INSERT INTO "AuditEvent" (id, "actorId", "actorEmail", action, "targetType") VALUES ('a1', 'u1', 'owner@example.com', 'cluster.create', 'cluster')`,
      );
      await expect(sql(db, `UPDATE "AuditEvent" SET action = 'cluster.delete' WHERE id = 'a1'`)).rejects.toThrow(
        /AuditEvent is append-only: UPDATE of audit event a1 is not allowed/,
      );
      await expect(sql(db, `DELETE FROM "AuditEvent" WHERE id = 'a1'`)).rejects.toThrow(/AuditEvent is append-only: DELETE/);
      const { rows } = await sql(db, `SELECT action FROM "AuditEvent" WHERE id = 'a1'`);
      expect(rows).toEqual([{ action: "cluster.create" }]);
    });

    it("deleting a user still nulls AuditEvent.actorId (ON DELETE SET NULL), keeping the row", async () => {
      await sql(db, `INSERT INTO "User" (id, email, "updatedAt") VALUES ('u2', 'gone@example.com', now())`);
      await sql(
        db,
        `INSERT INTO "AuditEvent" (id, "actorId", "actorEmail", action, "targetType") VALUES ('a2', 'u2', 'gone@example.com', 'token.create', 'token')`,
      );
      await sql(db, `DELETE FROM "User" WHERE id = 'u2'`);
      const { rows } = await sql(db, `SELECT "actorId", "actorEmail", action FROM "AuditEvent" WHERE id = 'a2'`);
      expect(rows).toEqual([{ actorId: null, actorEmail: "gone@example.com", action: "token.create" }]);
    });
  });

  it("migrate deploy brings an older database up to date", async () => {
    const older = await createDatabase();
    const first = tempMigrations((name) => name === migrationNames[0]);
    const r1 = await prisma(["migrate", "deploy", "--config", first.config], older);
    expect(r1.code, output(r1)).toBe(0);

    const r2 = await prisma(["migrate", "deploy"], older);
    expect(r2.code, output(r2)).toBe(0);
    const status = await prisma(["migrate", "status"], older);
    expect(status.code, output(status)).toBe(0);
    const { rows } = await sql(older, `SELECT count(*)::int AS n FROM _prisma_migrations WHERE finished_at IS NOT NULL`);
    expect(rows).toEqual([{ n: migrationNames.length }]);
  });

  it("API tokens issued before scopes existed keep what they could do (read and write)", async () => {
    const older = await createDatabase();
    const before = tempMigrations((name) => name < "20261201032027_api_token_scopes_and_revocation");
    const r1 = await prisma(["migrate", "deploy", "--config", before.config], older);
    expect(r1.code, output(r1)).toBe(0);
    await sql(older, `INSERT INTO "User" (id, email, "updatedAt") VALUES ('u1', 'ci@example.com', now())`);
    await sql(older, `INSERT INTO "ApiToken" (id, "userId", name, "tokenHash", prefix) VALUES ('t1', 'u1', 'ci', 'hash1', 'vcp_aaaaaaaa')`);

    const r2 = await prisma(["migrate", "deploy"], older);
    expect(r2.code, output(r2)).toBe(0);
    const { rows } = await sql(older, `SELECT scopes FROM "ApiToken" WHERE id = 't1'`);
    expect(rows).toEqual([{ scopes: ["read", "write"] }]);
    // New rows default to read; unknown scopes are refused by the database itself.
    await sql(older, `INSERT INTO "ApiToken" (id, "userId", name, "tokenHash", prefix) VALUES ('t2', 'u1', 'new', 'hash2', 'vcp_bbbbbbbb')`);
    expect((await sql(older, `SELECT scopes FROM "ApiToken" WHERE id = 't2'`)).rows).toEqual([{ scopes: ["read"] }]);
    await expect(sql(older, `UPDATE "ApiToken" SET scopes = '{read,admin}' WHERE id = 't2'`)).rejects.toThrow(/ApiToken_scopes_known/);
  });

  it("a failing migration rolls back completely and reports P3018", async () => {
    const target = await createDatabase();
    const { dir, config } = tempMigrations(() => true);
    mkdirSync(join(dir, "29991231235959_boom"));
    writeFileSync(
      join(dir, "29991231235959_boom/migration.sql"),
      `CREATE TABLE "ShouldNotExist" ("id" INTEGER);\nINSERT INTO "ShouldNotExist" VALUES (1);\nSELECT 1 / 0;\n`,
    );

    const r = await prisma(["migrate", "deploy", "--config", config], target);
    expect(r.code, output(r)).not.toBe(0);
    expect(r.stderr).toContain("P3018");
    expect(r.stderr).toContain("Migration name: 29991231235959_boom");
    expect(r.stderr).toContain("Database error code: 22012");

    // Nothing of the failed script remains; the migrations before it are applied.
    const { rows: tables } = await sql(target, `SELECT to_regclass('"ShouldNotExist"') AS t`);
    expect(tables).toEqual([{ t: null }]);
    const { rows } = await sql<{ migration_name: string; finished: boolean }>(
      target,
      `SELECT migration_name, finished_at IS NOT NULL AS finished FROM _prisma_migrations ORDER BY migration_name`,
    );
    expect(rows).toEqual([
      ...migrationNames.map((migration_name) => ({ migration_name, finished: true })),
      { migration_name: "29991231235959_boom", finished: false },
    ]);

    // And the CLI refuses to continue until someone resolves it (P3009), as with the native engine.
    const again = await prisma(["migrate", "deploy", "--config", config], target);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain("P3009");
  });

  it("db:migration:new writes a migration for a schema change", async () => {
    const { dir } = tempMigrations(() => true);
    const changed = join(dirname(dir), "schema.prisma");
    const original = readFileSync(schemaPath, "utf8");
    writeFileSync(changed, original.replace(/^model ApiToken \{$/m, "model ApiToken {\n  note String @default(\"\")"));

    const r = await run(
      join(root, "node_modules/.bin/tsx"),
      [join(root, "scripts/prisma/new-migration.ts"), "add api token note", `--schema=${changed}`, `--migrations-dir=${dir}`],
      { DATABASE_URL: db },
    );
    expect(r.code, output(r)).toBe(0);
    const added = readdirSync(dir).filter((name) => !migrationNames.includes(name) && name !== "migration_lock.toml");
    expect(added).toHaveLength(1);
    const [name = ""] = added;
    expect(name).toMatch(/^\d{14}_add_api_token_note$/);
    expect(name > migrationNames.at(-1)!).toBe(true);
    const written = readFileSync(join(dir, name, "migration.sql"), "utf8");
    expect(written).toContain(`ALTER TABLE "ApiToken" ADD COLUMN`);
    expect(written).toContain(`"note" TEXT NOT NULL DEFAULT ''`);
    expect(r.stdout).toContain(name);
  });
});
