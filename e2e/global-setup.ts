// Everything the e2e tier needs, started once per run (see playwright.config.ts for why not webServer):
// PostgreSQL with a migrated + seeded database, the local host cluster `test`, the portal's production
// build (`next build` into .next/e2e, reused while the sources are unchanged) served by `next start`, the
// local OpenID Connect provider the browser signs in through (the one `npm start` runs), the worker and the
// vCluster emulator.
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import path from "node:path";
import type { FullConfig } from "@playwright/test";
import type { ChartRepository } from "../scripts/k8s/chart-repo";
import type { OidcProviderHandle } from "../scripts/oidc/provider";
import { ensureProductionBuild } from "../scripts/start/build";
import { upTestCluster, type TestCluster } from "../scripts/testenv/cluster";
import { E2E_DIST_DIR } from "./fixtures/dist-dir";
import { createMigratedTemplate, createTestDatabase } from "../scripts/testenv/database";
import { findPostgresBin, freePort, startPostgres, type PostgresServer } from "../scripts/testenv/postgres";
import { startService, waitForHttp, type Service } from "../scripts/testenv/service";

export interface E2EEnvironment {
  pg?: PostgresServer;
  cluster?: TestCluster;
  charts?: ChartRepository;
  idp?: OidcProviderHandle;
  services: Service[];
}

const STATE = Symbol.for("vcluster-portal.e2e-environment");
type WithState = typeof globalThis & { [STATE]?: E2EEnvironment };

/** Used by global-teardown.ts (same runner process). */
export function e2eEnvironment(): E2EEnvironment | undefined {
  return (globalThis as WithState)[STATE];
}

const root = path.resolve(import.meta.dirname, "..");
const log = (line: string) => console.log(`[e2e setup] ${line}`);
const DIST_DIR = E2E_DIST_DIR;

/** What this tier needs from the machine, checked before anything starts, with how to get it. */
function checkPrerequisites(config: FullConfig): void {
  const missing: string[] = [];
  // The browser playwright.config.ts launches: Playwright cannot download its own here.
  const chromium = config.projects[0]?.use.launchOptions?.executablePath ?? "/usr/bin/chromium";
  if (!existsSync(chromium)) missing.push(`Chromium is not installed (${chromium}): the e2e tier drives Debian's chromium — install it with \`apt-get install -y chromium\`.`);
  try {
    findPostgresBin();
  } catch (e) {
    missing.push((e as Error).message);
  }
  if (missing.length > 0) throw new Error(`The e2e tier cannot run:\n  - ${missing.join("\n  - ")}`);
}

export default async function globalSetup(config: FullConfig): Promise<void> {
  checkPrerequisites(config);
  const baseURL = config.projects[0]?.use.baseURL;
  if (!baseURL) throw new Error("playwright.config.ts must set use.baseURL");
  const port = new URL(baseURL).port;
  const state: E2EEnvironment = { services: [] };
  (globalThis as WithState)[STATE] = state;
  const t0 = Date.now();

  // The production build (CPU-bound, about a minute when the sources changed) beside the services' start-up.
  const build = ensureProductionBuild({
    root,
    distDir: DIST_DIR,
    stampFile: path.join(root, ".data", "builds", "e2e.json"),
    logFile: path.join(root, "test-results", "e2e-logs", "next-build.log"),
    log: (l) => log(`build: ${l}`),
  });
  build.catch(() => {}); // awaited below
  const clusterPromise = upTestCluster((l) => log(`k8s: ${l}`));
  clusterPromise.catch(() => {}); // awaited below
  state.pg = await startPostgres({ name: "e2e" });
  log(`postgres on port ${state.pg.port} (${Date.now() - t0} ms)`);
  const templates = await createMigratedTemplate(state.pg.adminUrl, { seeded: true });
  const database = await createTestDatabase(state.pg.adminUrl, { seeded: true, name: "vcp_e2e" });
  log(`database migrated + seeded (migrate ${templates.timings.migrateMs} ms, seed ${templates.timings.seedMs} ms)`);
  state.cluster = await clusterPromise;
  log(`kubernetes ${state.cluster.server} ${state.cluster.reused ? "reused" : "started"} (${Date.now() - t0} ms)`);

  // The sign-in provider of `npm start`, on a free port, with a fresh client secret and keys for this run.
  const { newSigningKey } = await import("../scripts/oidc/provider");
  const { startLocalOidc } = await import("../scripts/start/local-oidc");
  const idp = await startLocalOidc({
    portalUrl: baseURL,
    port: await freePort(),
    clientSecret: randomBytes(32).toString("base64url"),
    cookieKey: randomBytes(32).toString("base64url"),
    signingKey: newSigningKey(),
  });
  state.idp = idp;
  log(`local OpenID Connect provider at ${idp.issuer}`);

  const { binDir } = await import("../scripts/k8s/locations");
  const { ensureVclusterCharts, serveChartRepository } = await import("../scripts/k8s/chart-repo");
  await ensureVclusterCharts((l) => log(l));
  state.charts = await serveChartRepository();
  const bin = path.join(root, "node_modules", ".bin");
  const env: Record<string, string | undefined> = {
    ...process.env,
    PATH: `${bin}:${process.env.PATH ?? ""}`,
    // Production, as deployed: lib/env.ts requires the secrets, AUTH_URL and an OIDC provider.
    NODE_ENV: "production",
    NEXT_DIST_DIR: DIST_DIR,
    DATABASE_URL: database.url,
    AUTH_SECRET: randomBytes(32).toString("base64"),
    AUTH_URL: baseURL,
    AUTH_OIDC_ISSUER: idp.issuer,
    AUTH_OIDC_CLIENT_ID: idp.clientId,
    AUTH_OIDC_CLIENT_SECRET: idp.clientSecret,
    AUTH_OIDC_NAME: "the local identity provider",
    PORTAL_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
    KUBECONFIG: state.cluster.kubeconfig,
    HELM_BIN: process.env.HELM_BIN ?? path.join(binDir(), "helm"),
    // The real loft-sh/vcluster charts from the Go module, served as a local Helm repository.
    VCLUSTER_CHART_REPO: process.env.VCLUSTER_CHART_REPO ?? state.charts.url,
    WORKER_METRICS_PORT: String(await freePort()), // not the fixed default: other portals may run here
    NEXT_TELEMETRY_DISABLED: "1",
    CHECKPOINT_DISABLE: "1",
  };
  for (const key of ["AUTH_OIDC_SCOPES", "AUTH_OIDC_GROUPS_CLAIM", "AUTH_OIDC_ADMIN_GROUP", "AUTH_OIDC_TEAM_PREFIX", "AUTH_TRUST_HOST"]) delete env[key];

  const built = await build;
  log(built.reused ? `production build reused (sources unchanged since ${built.builtAt})` : `production build made in ${built.seconds.toFixed(1)} s`);

  const logDir = path.join(root, "test-results", "e2e-logs");
  const web = startService("web", path.join(bin, "next"), ["start", "--port", port], { cwd: root, env, logDir });
  state.services.push(web);
  state.services.push(startService("worker", "npm", ["run", "worker"], { cwd: root, env: { ...env, VCP_PROCESS: "worker" }, logDir }));
  // kwok pods run no containers: the emulator gives each ready vcluster control plane a real API server and
  // writes its vc-<release> Secret as vCluster does.
  state.services.push(
    startService("vcluster-emulator", path.join(bin, "tsx"), ["scripts/vcluster-emulator/main.ts", "--kubeconfig", state.cluster.kubeconfig, "--namespace-prefix", "vc-", "--local-route"], { cwd: root, env, logDir }),
  );
  log(`next start (production build) on ${baseURL} + worker + vcluster emulator; logs in ${path.relative(root, logDir)}/`);

  await waitForHttp(`${baseURL}/signin`, web, { ok: (s) => s === 200 });
  for (const s of state.services) {
    if (s.child.exitCode !== null) throw new Error(`${s.name} exited (${s.child.exitCode}); log ${s.logFile}:\n${s.tail()}`);
  }
  // Test workers start after global setup and inherit this environment: specs may check the database
  // or the host cluster directly (createPrisma(process.env.DATABASE_URL), KUBECONFIG).
  process.env.DATABASE_URL = database.url;
  process.env.KUBECONFIG = state.cluster.kubeconfig;
  process.env.VCP_E2E_IDP = idp.issuer;
  log(`ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}
