/**
 * Page benchmark (`npm run bench -- pages`): each persona's main page, server-rendered by the production build
 * (`next build` into .next/bench, reused while the sources are unchanged, + `next start`) over the large data
 * set (`db:seed -- --large`: 500 teams, 10,000 clusters) in a real PostgreSQL, next to a baseline measured in
 * the same run (GET /api/healthz):
 *
 *   - first load: the first request of each page after `next start` (the route's code is loaded then),
 *     against healthz's first request;
 *   - warm load: p50/p95 after warm-up rounds, round-robin, against healthz's p50/p95.
 *
 * A regression shows as a ratio, whatever the machine. Nothing is asserted.
 *
 * The personas sign in as people do: through the local OpenID Connect provider (scripts/oidc/provider.ts, its
 * sign-in page driven over HTTP), so their sessions are the portal's own.
 *
 * Environment:
 *   BENCH_N=40            measured requests per page (after BENCH_WARMUP=5 unmeasured rounds)
 *   BENCH_BASE_URL        measure a running `npm start` instead (it signs in through that server's local
 *                         provider; the team page is /teams/payments; nothing is started or built)
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import pg from "pg";
import { HttpPortal, signInThroughProvider } from "../scripts/oidc/http-sign-in";
import { localPeople } from "../scripts/oidc/people";
import { newSigningKey, startOidcProvider, type OidcProviderHandle } from "../scripts/oidc/provider";
import { ensureProductionBuild } from "../scripts/start/build";
import { databaseUrl } from "../scripts/testenv/database";
import { freePort, startPostgres, type PostgresServer } from "../scripts/testenv/postgres";
import { startService, type Service } from "../scripts/testenv/service";

const root = path.resolve(import.meta.dirname, "..");
const bin = path.join(root, "node_modules", ".bin");
const N = Number(process.env.BENCH_N ?? 40);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 5);
const BENCH_TEAM = "bench-042";
const DIST_DIR = ".next/bench";
const CLIENT_ID = "vcluster-portal-bench";
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

type Target = { name: string; persona: string; path: string; cookie?: string; expect: string };

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

/** A persona signs in through the provider's page; returns the cookie header of their session. */
async function signIn(base: string, email: string): Promise<string> {
  const portal = new HttpPortal(base);
  const { res } = await signInThroughProvider(portal, { as: email });
  const location = res.headers.get("location") ?? "";
  if (res.status !== 302 || new URL(location, base).pathname.startsWith("/signin")) throw new Error(`${email} could not sign in (${res.status} → ${location})`);
  return portal.cookieHeader();
}

async function measure(base: string, baseline: Target, targets: Target[], first: Map<string, number>, note: string) {
  const all = [baseline, ...targets];
  // First loads (in a fresh server): each page once, in order, before anything else renders it.
  for (const t of targets) first.set(t.name, await timeOnce(base, t));
  for (let i = 0; i < WARMUP; i++) for (const t of all) await timeOnce(base, t);
  const samples = new Map(all.map((t) => [t.name, [] as number[]]));
  // Round-robin, so drift (GC, other load on the machine) hits every page alike.
  for (let i = 0; i < N; i++) for (const t of all) samples.get(t.name)!.push(await timeOnce(base, t));
  const b = samples.get(baseline.name)!;
  const bFirst = first.get(baseline.name)!;
  const b50 = pct(b, 50);
  const b95 = pct(b, 95);
  const ms = (x: number) => `${x.toFixed(1)} ms`;
  const ratio = (x: number, y: number) => `${(x / y).toFixed(1)}x`;
  const rows = all.map((t) => {
    const xs = samples.get(t.name)!;
    const f = first.get(t.name)!;
    const p50 = pct(xs, 50);
    const p95 = pct(xs, 95);
    return {
      page: t.name,
      persona: t.persona,
      first: ms(f),
      "first / healthz first": ratio(f, bFirst),
      "warm p50": ms(p50),
      "p50 / healthz p50": ratio(p50, b50),
      "warm p95": ms(p95),
      "p95 / healthz p95": ratio(p95, b95),
    };
  });
  console.log(`\nProduction build (next start); ${note}. First load: the first request of each page after the server started. Warm: ${N} requests per page after ${WARMUP} warm-up rounds.`);
  console.table(rows);
  // The team page (a lead's first page) against the home page (a developer's), same run.
  const home = targets.find((t) => t.persona === "developer");
  const teamPage = targets.find((t) => t.persona === "team lead");
  if (home && teamPage) {
    const h = samples.get(home.name)!;
    const tp = samples.get(teamPage.name)!;
    const r50 = pct(tp, 50) / pct(h, 50);
    const r95 = pct(tp, 95) / pct(h, 95);
    console.log(`team page / home page, warm: p50 ${r50.toFixed(2)}×, p95 ${r95.toFixed(2)}× (goal: no slower than 2×) ${r50 <= 2 && r95 <= 2 ? "✓" : "✗"}`);
  }
}

export async function run(): Promise<void> {
  let pgServer: PostgresServer | undefined;
  let web: Service | undefined;
  let idp: OidcProviderHandle | undefined;
  try {
    let base = process.env.BENCH_BASE_URL;
    let url: string | undefined;
    const healthz: Target = { name: "baseline /api/healthz", persona: "—", path: "/api/healthz", expect: '"status":"ok"' };
    const first = new Map<string, number>();
    let team = BENCH_TEAM;
    let note = "500 teams, 10,000 clusters";
    if (base) {
      log(`measuring the running server at ${base} (signing in through its local OpenID Connect provider)`);
      team = "payments";
      note = "the running server's data; first loads are only first if it was just started";
      first.set(healthz.name, await timeOnce(base, healthz));
    } else {
      pgServer = await startPostgres({ name: "bench" });
      url = databaseUrl(pgServer.adminUrl, "vcp_bench");
      const admin = new pg.Client({ connectionString: pgServer.adminUrl });
      await admin.connect();
      await admin.query(`CREATE DATABASE vcp_bench`);
      await admin.end();
      const t = Date.now();
      const build = ensureProductionBuild({
        root,
        distDir: DIST_DIR,
        stampFile: path.join(root, ".data", "builds", "bench.json"),
        logFile: path.join(root, "test-results", "bench-logs", "next-build.log"),
        log,
      });
      build.catch(() => {}); // awaited below
      await sh("prisma", ["migrate", "deploy"], { DATABASE_URL: url });
      await sh("tsx", ["prisma/seed.ts", "--large"], { DATABASE_URL: url });
      await seedHistory(url);
      log(`postgres on port ${pgServer.port}: migrated and seeded with --large in ${((Date.now() - t) / 1000).toFixed(1)} s`);
      const built = await build;
      log(built.reused ? `production build reused (sources unchanged since ${built.builtAt})` : `next build in ${built.seconds.toFixed(1)} s`);

      const port = await freePort();
      base = `http://localhost:${port}`;
      const clientSecret = randomBytes(32).toString("base64url");
      idp = await startOidcProvider({
        interaction: "page",
        clients: [{ client_id: CLIENT_ID, client_secret: clientSecret, redirect_uris: [`${base}/api/auth/callback/oidc`], grant_types: ["authorization_code"], response_types: ["code"] }],
        accounts: [
          ...localPeople(),
          { sub: `local:lead.${BENCH_TEAM}@example.com`, email: `lead.${BENCH_TEAM}@example.com`, email_verified: true, name: `Lead ${BENCH_TEAM}`, groups: [`team:${BENCH_TEAM}:lead`] },
        ],
        signingKey: newSigningKey(),
      });
      web = startService("web-bench", path.join(bin, "next"), ["start", "--port", String(port)], {
        cwd: root,
        logDir: path.join(root, "test-results", "bench-logs"),
        env: {
          ...process.env,
          PATH: `${bin}:${process.env.PATH ?? ""}`,
          NODE_ENV: "production",
          NEXT_DIST_DIR: DIST_DIR,
          DATABASE_URL: url,
          AUTH_SECRET: randomBytes(32).toString("base64"),
          AUTH_URL: base,
          AUTH_OIDC_ISSUER: idp.issuer,
          AUTH_OIDC_CLIENT_ID: CLIENT_ID,
          AUTH_OIDC_CLIENT_SECRET: clientSecret,
          PORTAL_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
          VCP_LOCAL_K8S: "off",
          LOG_LEVEL: "warn",
          NEXT_TELEMETRY_DISABLED: "1",
        },
      });
      // The server is up when it listens; healthz's own first answer is the baseline's first load.
      const deadline = Date.now() + 120_000;
      for (;;) {
        if (web.child.exitCode !== null) throw new Error(`next start exited (${web.child.exitCode}); log ${web.logFile}:\n${web.tail()}`);
        if (Date.now() > deadline) throw new Error(`next start did not answer ${base}/api/healthz within 120 s; log ${web.logFile}`);
        try {
          first.set(healthz.name, await timeOnce(base, healthz));
          break;
        } catch {
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      log(`next start on ${base}; sign-in through the local OpenID Connect provider at ${idp.issuer}`);
    }

    const [developer, lead, admin] = [
      await signIn(base, "dev.payments@example.com"),
      await signIn(base, `lead.${team}@example.com`),
      await signIn(base, "admin@example.com"),
    ];
    const targets: Target[] = [
      { name: "home (My clusters)", persona: "developer", path: "/", cookie: developer, expect: "My clusters" },
      { name: `team page (${team})`, persona: "team lead", path: `/teams/${team}`, cookie: lead, expect: "Quota and usage" },
      { name: "approvals queue", persona: "admin", path: "/admin/approvals", cookie: admin, expect: "Approvals" },
      { name: "all clusters", persona: "admin", path: "/admin/clusters", cookie: admin, expect: "All clusters" },
    ];
    if (url) {
      targets.push(
        { name: "all clusters, page 101", persona: "admin", path: `/admin/clusters?after=${await deepCursor(url)}`, cookie: admin, expect: "All clusters" },
        { name: "all clusters, filtered", persona: "admin", path: `/admin/clusters?phase=READY&template=sandbox&q=bench-1`, cookie: admin, expect: "All clusters" },
      );
    }
    await measure(base, healthz, targets, first, note);
  } finally {
    await web?.stop();
    await idp?.stop();
    await pgServer?.stop();
  }
}

// `tsx bench/pages.ts` runs it directly too.
if (import.meta.url === `file://${process.argv[1]}`) await run();
