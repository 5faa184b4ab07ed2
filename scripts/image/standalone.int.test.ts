// The container image without a container runtime: lay out its /app with scripts/image/assemble.ts (as the
// Dockerfile's build stage does), then run scripts/image/entrypoint.sh from there with plain node — no npm, npx,
// tsx or the repository's node_modules (the layout sits outside the checkout) — under the Dockerfile's ENV and
// non-root USER, against a real PostgreSQL and a real OpenID Connect provider: migrate, web, worker, and the
// production start-up checks refusing bad input with one line (lib/startup-checks.ts).
import { spawn, type ChildProcess, type ChildProcessByStdio } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Readable } from "node:stream";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { shippedMigrations } from "@/lib/db/shipped-migrations";
import { startOidcProvider, type OidcProviderHandle } from "@/scripts/oidc/provider";
import { createTestDatabase, databaseUrl, uniqueDatabaseName, type TestDatabase } from "@/scripts/testenv/database";
import { testPgAdminUrl } from "@/scripts/testenv/per-file";
import { freePort } from "@/scripts/testenv/postgres";
import { assembleImage } from "./assemble";

const root = path.resolve(import.meta.dirname, "../..");
const DIST_DIR = ".next/image";
const dockerfile = readFileSync(path.join(root, "Dockerfile"), "utf8");
/** The runtime stage: everything after the last FROM. */
const runtimeStage = dockerfile.slice(dockerfile.lastIndexOf("\nFROM "));

/** `ENV A=1 B=2` lines of the runtime stage (unquoted values, as the Dockerfile writes them). */
function dockerfileEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of runtimeStage.split("\n").filter((l) => l.startsWith("ENV "))) {
    for (const pair of line.slice(4).trim().split(/\s+/)) {
      const at = pair.indexOf("=");
      env[pair.slice(0, at)] = pair.slice(at + 1);
    }
  }
  return env;
}

/** USER uid:gid of the runtime stage; applied when this test runs as root (as here), so /app is read-only to it. */
function dockerfileUser(): { uid: number; gid: number } | undefined {
  const m = /^USER (\d+):(\d+)$/m.exec(runtimeStage);
  if (!m || process.getuid?.() !== 0) return undefined;
  return { uid: Number(m[1]), gid: Number(m[2]) };
}

let app: string;
let idp: OidcProviderHandle;
const children: ChildProcess[] = [];
const databases: Pick<TestDatabase, "drop">[] = [];

type Run = { child: ChildProcessByStdio<null, Readable, Readable>; stdout: () => string; stderr: () => string; exited: Promise<number | null> };

/** `/app/entrypoint.sh <command>` as the image runs it. */
function runImage(command: string, env: Record<string, string>): Run {
  return runInImage(["sh", path.join(app, "entrypoint.sh"), command], env, "/");
}

/** A command as the image's user, with the Dockerfile's ENV and a PATH of only node and the system. */
function runInImage([cmd, ...args]: string[], env: Record<string, string>, cwd: string): Run {
  const fullEnv: Record<string, string> = { PATH: `${path.dirname(process.execPath)}:/usr/bin:/bin`, ...dockerfileEnv(), ...env };
  const child = spawn(cmd!, args, {
    cwd,
    env: fullEnv as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
    ...dockerfileUser(),
  });
  children.push(child);
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (b: Buffer) => (stdout += b.toString()));
  child.stderr.on("data", (b: Buffer) => (stderr += b.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code: number | null) => resolve(code)));
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

async function finished(run: Run, ms = 60_000): Promise<number | null> {
  const timeout = new Promise<"timeout">((r) => setTimeout(() => r("timeout"), ms).unref());
  const code = await Promise.race([run.exited, timeout]);
  if (code === "timeout") throw new Error(`still running after ${ms} ms:\n${run.stdout()}\n${run.stderr()}`);
  return code;
}

async function waitFor(url: string, run: Run, init?: RequestInit): Promise<Response> {
  for (let i = 0; i < 240; i++) {
    if (run.child.exitCode !== null) throw new Error(`exited ${run.child.exitCode} before answering ${url}:\n${run.stdout()}\n${run.stderr()}`);
    try {
      return await fetch(url, init);
    } catch {
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  throw new Error(`no answer from ${url} within 60 s:\n${run.stdout()}\n${run.stderr()}`);
}

async function newDatabase(from: "empty" | "migrated"): Promise<string> {
  if (from === "migrated") {
    const db = await createTestDatabase(testPgAdminUrl(), { seeded: false });
    databases.push(db);
    return db.url;
  }
  const name = uniqueDatabaseName();
  await query(testPgAdminUrl(), `CREATE DATABASE ${name}`);
  databases.push({ drop: async () => void (await query(testPgAdminUrl(), `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)) });
  return databaseUrl(testPgAdminUrl(), name);
}

async function query<T>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql, params)).rows as T[];
  } finally {
    await c.end();
  }
}

/** What a production start needs (README: configuration), strong and reachable. */
function productionEnv(databaseUrl: string, over: Record<string, string> = {}): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    AUTH_SECRET: randomBytes(32).toString("base64"),
    PORTAL_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
    AUTH_URL: "http://localhost:3000",
    AUTH_OIDC_ISSUER: idp.issuer,
    AUTH_OIDC_CLIENT_ID: "portal",
    AUTH_OIDC_CLIENT_SECRET: "client-secret-value",
    LOG_LEVEL: "warn",
    ...over,
  };
}

beforeAll(async () => {
  const t0 = Date.now();
  app = mkdtempSync(path.join(tmpdir(), "vcp-image-"));
  chmodSync(app, 0o755);
  const { build } = await assembleImage({ root, distDir: DIST_DIR, outDir: app, log: (l) => console.log(`[image] ${l}`) });
  console.log(`[image] /app assembled in ${((Date.now() - t0) / 1000).toFixed(1)} s (next build ${build.reused ? "reused" : `${build.seconds.toFixed(1)} s`})`);
  idp = await startOidcProvider({ clients: [] });
}, 900_000);

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  await idp?.stop();
  for (const db of databases) await db.drop().catch(() => {});
  if (app) rmSync(app, { recursive: true, force: true });
});

describe("the Dockerfile runs what this test runs", () => {
  it("lays out /app with scripts/image/assemble.ts and starts scripts/image/entrypoint.sh as a non-root user", () => {
    expect(dockerfile).toMatch(/^RUN npx tsx scripts\/image\/assemble\.ts \/out$/m);
    expect(runtimeStage).toMatch(/^WORKDIR \/app$/m);
    expect(runtimeStage).toMatch(/^COPY --from=build \/out \/app$/m);
    expect(runtimeStage).toMatch(/^ENTRYPOINT \["\/app\/entrypoint\.sh"\]$/m);
    expect(runtimeStage).toMatch(/^CMD \["web"\]$/m);
    expect(Number(/^USER (\d+):\d+$/m.exec(runtimeStage)?.[1])).toBeGreaterThan(0);
    expect(dockerfileEnv()).toMatchObject({ NODE_ENV: "production", HOSTNAME: "0.0.0.0" });
    const entrypoint = readFileSync(path.join(app, "entrypoint.sh"), "utf8");
    expect(entrypoint).toBe(readFileSync(path.join(root, "scripts", "image", "entrypoint.sh"), "utf8"));
    for (const line of ["web) exec node server.js", "worker) exec node worker.mjs", "migrate) exec node node_modules/prisma/build/index.js migrate deploy"]) expect(entrypoint).toContain(line);
  });

  it("refuses an unknown command", async () => {
    const run = runImage("serve", {});
    expect(await finished(run)).toBe(64);
    expect(run.stderr().trim()).toBe('vcluster-portal image: unknown command "serve": use web, worker or migrate');
  });
});

describe("migrate, web and worker from the image's /app", () => {
  let url: string;

  it("migrate applies every shipped migration to an empty database, and again finds nothing to do", async () => {
    url = await newDatabase("empty");
    const first = runImage("migrate", { DATABASE_URL: url });
    expect(await finished(first, 120_000), first.stdout() + first.stderr()).toBe(0);
    const applied = await query<{ migration_name: string }>(url, `SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL ORDER BY 1`);
    expect(applied.map((r) => r.migration_name)).toEqual(shippedMigrations(root));
    const again = runImage("migrate", { DATABASE_URL: url });
    expect(await finished(again, 120_000), again.stdout() + again.stderr()).toBe(0);
    expect(again.stdout()).toContain("No pending migrations to apply");
  }, 240_000);

  it("the Prisma CLI also runs by hand in /app, as docs/operations.md shows (migrate status)", async () => {
    const status = runInImage(["node", "node_modules/prisma/build/index.js", "migrate", "status"], { DATABASE_URL: url }, app);
    expect(await finished(status), status.stdout() + status.stderr()).toBe(0);
    const output = status.stdout();
    expect(output).toContain("Database schema is up to date");
  }, 120_000);

  it("web (node server.js) answers /api/healthz, /api/readyz, a page with its static assets and /api/metrics", async () => {
    const port = await freePort();
    const metricsToken = randomBytes(16).toString("hex");
    const web = runImage("web", productionEnv(url, { PORT: String(port), AUTH_URL: `http://localhost:${port}`, METRICS_TOKEN: metricsToken }));
    const base = `http://127.0.0.1:${port}`;
    const healthz = await waitFor(`${base}/api/healthz`, web);
    expect(healthz.status).toBe(200);
    expect(await healthz.json()).toMatchObject({ status: "ok" });
    const readyz = await fetch(`${base}/api/readyz`);
    expect(await readyz.json()).toEqual({ ready: true, database: "ok" });
    expect(readyz.status).toBe(200);

    const signin = await fetch(`${base}/signin`);
    expect(signin.status).toBe(200);
    const asset = /\/_next\/static\/[^"']+\.(?:js|css)/.exec(await signin.text())?.[0];
    expect(asset).toBeDefined();
    expect((await fetch(`${base}${asset}`)).status).toBe(200);

    const metrics = await fetch(`${base}/api/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } });
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain("vcp_");
    web.child.kill("SIGTERM");
    await finished(web);
    expect(web.stderr()).not.toMatch(/EACCES|EROFS|cannot start/);
  }, 120_000);

  it("worker (node worker.mjs) reconciles, serves its metrics and stops cleanly on SIGTERM", async () => {
    const metricsPort = await freePort();
    const worker = runImage("worker", productionEnv(url, { WORKER_METRICS_PORT: String(metricsPort), WORKER_METRICS_HOST: "127.0.0.1", LOG_LEVEL: "info" }));
    const metrics = await waitFor(`http://127.0.0.1:${metricsPort}/metrics`, worker);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain("vcp_reconcile_steps_total");
    expect(worker.stdout()).toContain("is reconciling virtual clusters");
    worker.child.kill("SIGTERM");
    expect(await finished(worker)).toBe(0);
    expect(worker.stdout()).toContain('"service":"worker"');
  }, 120_000);
});

describe("a production start with bad input stops with one line", () => {
  /** Runs the command to its end; its stderr must be exactly one line. */
  async function refused(command: "web" | "worker", env: Record<string, string>): Promise<string> {
    const run = runImage(command, { PORT: String(await freePort()), WORKER_METRICS_PORT: "0", ...env });
    const code = await finished(run);
    expect(code, run.stdout() + run.stderr()).not.toBe(0);
    const lines = run.stderr().split("\n").filter((l) => l.trim() !== "");
    expect(lines, run.stderr()).toHaveLength(1);
    return lines[0] ?? "";
  }

  it("a database behind the shipped migrations: web and worker name the missing migration", async () => {
    const url = await newDatabase("migrated");
    const newest = shippedMigrations(root).at(-1)!;
    await query(url, `DELETE FROM "_prisma_migrations" WHERE migration_name = $1`, [newest]);
    const expected = `cannot start: the database is behind this version's migrations (not applied: ${newest}): run the migrate command first`;
    expect(await refused("web", productionEnv(url))).toContain(`vcluster-portal web: ${expected}`);
    expect(await refused("worker", productionEnv(url))).toContain(`vcluster-portal worker: ${expected}`);
  }, 120_000);

  it("an OpenID Connect issuer on a closed port stops the web", async () => {
    const url = await newDatabase("migrated");
    const issuer = `http://127.0.0.1:${await freePort()}`;
    expect(await refused("web", productionEnv(url, { AUTH_OIDC_ISSUER: issuer }))).toBe(
      `vcluster-portal web: cannot start: AUTH_OIDC_ISSUER ${issuer} is unreachable (ECONNREFUSED from ${issuer}/.well-known/openid-configuration after 3 attempts)`,
    );
  }, 120_000);

  it("a weak or missing secret stops web and worker", async () => {
    const url = await newDatabase("migrated");
    expect(await refused("web", productionEnv(url, { AUTH_SECRET: "a".repeat(48) }))).toBe(
      "vcluster-portal web: cannot start: AUTH_SECRET is too weak (only 1 different characters): make one with: openssl rand -base64 32",
    );
    expect(await refused("worker", productionEnv(url, { PORTAL_ENCRYPTION_KEY: Buffer.alloc(32).toString("base64") }))).toMatch(
      /^vcluster-portal worker: cannot start: PORTAL_ENCRYPTION_KEY is too weak/,
    );
    const withoutSecret = productionEnv(url);
    delete withoutSecret.AUTH_SECRET;
    expect(await refused("web", withoutSecret)).toBe("vcluster-portal web: cannot start: AUTH_SECRET is required in production (see the configuration table in README.md)");
  }, 120_000);
});
