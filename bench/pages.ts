/**
 * Page benchmark (`npm run bench -- pages`): the admin all-clusters page and a team page, server-rendered by
 * a production build (`next build` + `next start`) over the large data set (`db:seed -- --large`: 500 teams,
 * 10,000 clusters) in a real PostgreSQL, against a baseline measured in the same run (GET /api/healthz).
 * Prints p50/p95 per page and the ratio to the baseline. Nothing is asserted.
 *
 * The development sign-in refuses production, so sessions are minted the way Auth.js itself writes them:
 * an encrypted JWT from next-auth/jwt's `encode`, salted with the cookie name.
 *
 * Environment:
 *   BENCH_N=40            measured requests per page (after BENCH_WARMUP=5 unmeasured ones)
 *   BENCH_SKIP_BUILD=1    reuse the production build in .next/bench (the bench's own dist dir, so it
 *                         never collides with `npm start` or `next dev` in the same checkout)
 *   BENCH_BASE_URL, DATABASE_URL, AUTH_SECRET
 *                         measure an already running production server on a database seeded with --large
 *                         (nothing is started or built then)
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { encode } from "next-auth/jwt";
import pg from "pg";
import { databaseUrl } from "../scripts/testenv/database";
import { freePort, startPostgres, type PostgresServer } from "../scripts/testenv/postgres";
import { startService, waitForHttp, type Service } from "../scripts/testenv/service";

const root = path.resolve(import.meta.dirname, "..");
const bin = path.join(root, "node_modules", ".bin");
const N = Number(process.env.BENCH_N ?? 40);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 5);
const TEAM = "bench-042";
const DIST_DIR = ".next/bench";
const log = (line: string) => console.log(`[bench pages] ${line}`);

function sh(cmd: string, args: string[], env: Record<string, string | undefined>): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: root, env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ""}`, ...env } as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (b: Buffer) => (out += b.toString()));
    child.stderr.on("data", (b: Buffer) => (out += b.toString()));
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(" ")} failed (${code}):\n${out.slice(-4000)}`))));
  });
}

/** 29 days of usage history for every team, so the team page's chart has real data to draw. */
async function seedHistory(url: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(`
      INSERT INTO "UsageSnapshot" (id, "teamId", day, clusters, "cpuMillicores", "memoryMiB")
      SELECT 'bench_' || md5(t.id || d::text), t.id, d::date, n, n * 1000, n * 2048
        FROM "Team" t,
             generate_series(current_date - 29, current_date - 1, interval '1 day') d,
             LATERAL (SELECT (10 + 8 * sin(extract(epoch FROM d) / 400000 + length(t.slug)))::int AS n) x
      ON CONFLICT ("teamId", day) DO NOTHING`);
  } finally {
    await c.end();
  }
}

type Target = { name: string; path: string; cookie?: string; expect: string };

async function mintCookie(url: string, secret: string, email: string, cookieName: string): Promise<string> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const r = await c.query<{ id: string; isAdmin: boolean; name: string | null }>(`SELECT id, "isAdmin", name FROM "User" WHERE email = $1`, [email]);
    const u = r.rows[0];
    if (!u) throw new Error(`no user ${email}: seed the database with \`npm run db:seed -- --large\``);
    const token = await encode({
      secret,
      salt: cookieName,
      token: { sub: u.id, email, name: u.name, isAdmin: u.isAdmin, authTime: Math.floor(Date.now() / 1000) },
      maxAge: 3600,
    });
    return `${cookieName}=${token}`;
  } finally {
    await c.end();
  }
}

/** The 5,000th cluster's cursor: a page deep in the list (keyset: as cheap as the first). */
async function deepCursor(url: string): Promise<string> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const r = await c.query<{ id: string; createdAt: Date }>(`SELECT id, "createdAt" FROM "VirtualCluster" ORDER BY "createdAt" DESC, id DESC OFFSET 5000 LIMIT 1`);
    const row = r.rows[0]!;
    return Buffer.from(`${row.createdAt.toISOString()}|${row.id}`, "utf8").toString("base64url");
  } finally {
    await c.end();
  }
}

async function timeOnce(base: string, t: Target): Promise<number> {
  const t0 = performance.now();
  const res = await fetch(base + t.path, { headers: t.cookie ? { cookie: t.cookie } : {}, redirect: "manual" });
  const body = await res.text();
  const ms = performance.now() - t0;
  if (res.status !== 200) throw new Error(`${t.name}: GET ${t.path} answered ${res.status}${res.headers.get("location") ? ` → ${res.headers.get("location")}` : ""}`);
  if (!body.includes(t.expect)) throw new Error(`${t.name}: GET ${t.path} did not contain "${t.expect}" (signed out or wrong page?)`);
  return ms;
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
};

async function measure(base: string, targets: Target[]) {
  for (let i = 0; i < WARMUP; i++) for (const t of targets) await timeOnce(base, t);
  const samples = new Map(targets.map((t) => [t.name, [] as number[]]));
  // Round-robin, so drift (GC, other load on the machine) hits every page alike.
  for (let i = 0; i < N; i++) for (const t of targets) samples.get(t.name)!.push(await timeOnce(base, t));
  const baseline = samples.get(targets[0]!.name)!;
  const b50 = pct(baseline, 50);
  const b95 = pct(baseline, 95);
  const rows = targets.map((t) => {
    const xs = samples.get(t.name)!;
    const p50 = pct(xs, 50);
    const p95 = pct(xs, 95);
    return { page: t.name, path: t.path.length > 48 ? `${t.path.slice(0, 45)}...` : t.path, p50: `${p50.toFixed(1)} ms`, p95: `${p95.toFixed(1)} ms`, "p50 / baseline": `${(p50 / b50).toFixed(1)}x`, "p95 / baseline": `${(p95 / b95).toFixed(1)}x` };
  });
  console.log(`\n${N} requests per page after ${WARMUP} warm-up rounds; production build; 500 teams, 10,000 clusters.`);
  console.table(rows);
}

export async function run(): Promise<void> {
  let pgServer: PostgresServer | undefined;
  let web: Service | undefined;
  try {
    let base = process.env.BENCH_BASE_URL;
    let url = process.env.DATABASE_URL;
    let secret = process.env.AUTH_SECRET;
    if (base) {
      if (!url || !secret) throw new Error("BENCH_BASE_URL needs DATABASE_URL and AUTH_SECRET of that server");
      log(`measuring the running server at ${base}`);
    } else {
      pgServer = await startPostgres({ name: "bench" });
      url = databaseUrl(pgServer.adminUrl, "vcp_bench");
      const admin = new pg.Client({ connectionString: pgServer.adminUrl });
      await admin.connect();
      await admin.query(`CREATE DATABASE vcp_bench`);
      await admin.end();
      let t = Date.now();
      await sh("prisma", ["migrate", "deploy"], { DATABASE_URL: url });
      await sh("tsx", ["prisma/seed.ts", "--large"], { DATABASE_URL: url });
      await seedHistory(url);
      log(`postgres on port ${pgServer.port}: migrated and seeded with --large in ${((Date.now() - t) / 1000).toFixed(1)} s`);
      if (process.env.BENCH_SKIP_BUILD !== "1") {
        t = Date.now();
        await sh("next", ["build"], { NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1", NEXT_DIST_DIR: DIST_DIR });
        log(`next build in ${((Date.now() - t) / 1000).toFixed(1)} s`);
      }
      const port = await freePort();
      base = `http://localhost:${port}`;
      secret = randomBytes(32).toString("base64");
      web = startService("web-bench", path.join(bin, "next"), ["start", "--port", String(port)], {
        cwd: root,
        logDir: path.join(root, "test-results", "bench-logs"),
        env: {
          ...process.env,
          PATH: `${bin}:${process.env.PATH ?? ""}`,
          NODE_ENV: "production",
          NEXT_DIST_DIR: DIST_DIR,
          DATABASE_URL: url,
          AUTH_SECRET: secret,
          AUTH_URL: base,
          AUTH_TRUST_HOST: "true",
          AUTH_DEV_LOGIN: undefined,
          // Production requires an OIDC provider; it is never contacted because sessions are minted.
          AUTH_OIDC_ISSUER: "http://localhost:9/bench-idp",
          AUTH_OIDC_CLIENT_ID: "bench",
          AUTH_OIDC_CLIENT_SECRET: "bench",
          PORTAL_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
          VCP_LOCAL_K8S: "off",
          LOG_LEVEL: "warn",
          NEXT_TELEMETRY_DISABLED: "1",
        },
      });
      await waitForHttp(`${base}/api/healthz`, web, { ok: (s) => s === 200 });
      log(`next start on ${base}`);
    }
    // Auth.js names the cookie __Secure-… only on https.
    const cookieName = base.startsWith("https:") ? "__Secure-authjs.session-token" : "authjs.session-token";
    const adminCookie = await mintCookie(url, secret, "admin@example.com", cookieName);
    const leadCookie = await mintCookie(url, secret, `lead.${TEAM}@example.com`, cookieName);
    const cursor = await deepCursor(url);
    await measure(base, [
      { name: "baseline /api/healthz", path: "/api/healthz", expect: '"status":"ok"' },
      { name: "admin all clusters", path: "/admin/clusters", cookie: adminCookie, expect: "All clusters" },
      { name: "admin all clusters, page 101", path: `/admin/clusters?after=${cursor}`, cookie: adminCookie, expect: "All clusters" },
      { name: "admin clusters, filtered", path: `/admin/clusters?phase=READY&template=sandbox&q=bench-1`, cookie: adminCookie, expect: "All clusters" },
      { name: `team page (${TEAM}, as its lead)`, path: `/teams/${TEAM}`, cookie: leadCookie, expect: "Who owns what" },
    ]);
  } finally {
    await web?.stop();
    await pgServer?.stop();
  }
}

// `tsx bench/pages.ts` runs it directly too.
if (import.meta.url === `file://${process.argv[1]}`) await run();
