// Template databases for tests: migrate (and seed) once per run, then give every test file its own
// database with `CREATE DATABASE ... TEMPLATE ...` (a file copy: milliseconds, no migrations per file).
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import pg from "pg";

export const TEMPLATE_DB = "vcp_template";
export const SEEDED_TEMPLATE_DB = "vcp_template_seeded";

const REPO_ROOT = path.resolve(import.meta.dirname, "../..");

/** The same server as `adminUrl`, another database. */
export function databaseUrl(adminUrl: string, database: string): string {
  const u = new URL(adminUrl);
  u.pathname = `/${database}`;
  return u.toString();
}

async function withAdmin<T>(adminUrl: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Runs a repo command (npx/npm) with the project's Node first on PATH; rejects with its output. */
function run(cmd: string, args: string[], env: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      cwd: REPO_ROOT,
      env: { ...process.env, PATH: `${path.join(REPO_ROOT, "node_modules/.bin")}:${process.env.PATH ?? ""}`, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (b: Buffer) => (output += b.toString()));
    child.stderr.on("data", (b: Buffer) => (output += b.toString()));
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`\`${cmd} ${args.join(" ")}\` failed (${code ?? signal}):\n${output.trim()}`));
    });
  });
}

async function recreate(adminUrl: string, name: string, template?: string): Promise<void> {
  await withAdmin(adminUrl, async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${ident(name)} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${ident(name)}${template ? ` TEMPLATE ${ident(template)}` : ""}`);
  });
}

/** Marks a database as a template nobody connects to (a connected session would block copies of it). */
async function freeze(adminUrl: string, name: string): Promise<void> {
  await withAdmin(adminUrl, async (c) => {
    await c.query(`ALTER DATABASE ${ident(name)} WITH IS_TEMPLATE true ALLOW_CONNECTIONS false`);
  });
}

/**
 * Builds `vcp_template` with `prisma migrate deploy`, and with `seeded` also `vcp_template_seeded`
 * (a copy of it plus `npm run db:seed`). Recreates them if they exist.
 */
export async function createMigratedTemplate(
  adminUrl: string,
  { seeded = true }: { seeded?: boolean } = {},
): Promise<{ template: string; seededTemplate?: string; timings: Record<string, number> }> {
  const timings: Record<string, number> = {};
  let t = Date.now();
  await recreate(adminUrl, TEMPLATE_DB);
  await run("npx", ["prisma", "migrate", "deploy"], { DATABASE_URL: databaseUrl(adminUrl, TEMPLATE_DB) });
  timings.migrateMs = Date.now() - t;

  let seededTemplate: string | undefined;
  if (seeded) {
    t = Date.now();
    await recreate(adminUrl, SEEDED_TEMPLATE_DB, TEMPLATE_DB);
    await run("npm", ["run", "--silent", "db:seed"], { DATABASE_URL: databaseUrl(adminUrl, SEEDED_TEMPLATE_DB) });
    await freeze(adminUrl, SEEDED_TEMPLATE_DB);
    seededTemplate = SEEDED_TEMPLATE_DB;
    timings.seedMs = Date.now() - t;
  }
  await freeze(adminUrl, TEMPLATE_DB);
  return { template: TEMPLATE_DB, seededTemplate, timings };
}

export interface TestDatabase {
  name: string;
  url: string;
  /** Drops the database, closing any connections still open to it. Idempotent. */
  drop(): Promise<void>;
}

/** A unique database name for this process, usable before the database exists. */
export function uniqueDatabaseName(): string {
  return `vcp_test_${process.pid}_${randomBytes(4).toString("hex")}`;
}

/** A fresh database copied from the migrated (default: seeded) template. */
export async function createTestDatabase(
  adminUrl: string,
  { seeded = true, name = uniqueDatabaseName() }: { seeded?: boolean; name?: string } = {},
): Promise<TestDatabase> {
  const template = seeded ? SEEDED_TEMPLATE_DB : TEMPLATE_DB;
  await withAdmin(adminUrl, async (c) => {
    try {
      await c.query(`CREATE DATABASE ${ident(name)} TEMPLATE ${ident(template)}`);
    } catch (err) {
      if ((err as { code?: string }).code === "3D000") {
        throw new Error(`template database ${template} does not exist: run createMigratedTemplate(adminUrl${seeded ? "" : ", { seeded: false }"}) first`);
      }
      throw err;
    }
  });
  // Every copy is an installation of its own on the shared test host: the copied host rows get registrations of
  // their own, so one test's orphan sweep never sees another's namespaces as its orphans.
  await withAdmin(databaseUrl(adminUrl, name), async (c) => void (await c.query(`UPDATE "HostCluster" SET "registrationId" = gen_random_uuid()`)));
  let dropped: Promise<void> | undefined;
  return {
    name,
    url: databaseUrl(adminUrl, name),
    drop: () => (dropped ??= withAdmin(adminUrl, async (c) => void (await c.query(`DROP DATABASE IF EXISTS ${ident(name)} WITH (FORCE)`)))),
  };
}
