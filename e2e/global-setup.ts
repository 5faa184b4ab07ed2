// Everything the e2e tier needs, started once per run (see playwright.config.ts for why not webServer):
// PostgreSQL with a migrated + seeded database, the local host cluster `test`, `next dev`, and the worker.
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import type { ChartRepository } from "../scripts/k8s/chart-repo";
import path from "node:path";
import type { FullConfig } from "@playwright/test";
import { upTestCluster, type TestCluster } from "../scripts/testenv/cluster";
import { createMigratedTemplate, createTestDatabase } from "../scripts/testenv/database";
import { freePort, startPostgres, type PostgresServer } from "../scripts/testenv/postgres";
import { startService, waitForHttp, type Service } from "../scripts/testenv/service";

export interface E2EEnvironment {
  pg?: PostgresServer;
  cluster?: TestCluster;
  charts?: ChartRepository;
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

export default async function globalSetup(config: FullConfig): Promise<void> {
  const baseURL = config.projects[0]?.use.baseURL;
  if (!baseURL) throw new Error("playwright.config.ts must set use.baseURL");
  const port = new URL(baseURL).port;
  const state: E2EEnvironment = { services: [] };
  (globalThis as WithState)[STATE] = state;
  const t0 = Date.now();

  const clusterPromise = upTestCluster((l) => log(`k8s: ${l}`));
  clusterPromise.catch(() => {}); // awaited below
  state.pg = await startPostgres({ name: "e2e" });
  log(`postgres on port ${state.pg.port} (${Date.now() - t0} ms)`);
  const templates = await createMigratedTemplate(state.pg.adminUrl, { seeded: true });
  const database = await createTestDatabase(state.pg.adminUrl, { seeded: true, name: "vcp_e2e" });
  log(`database migrated + seeded (migrate ${templates.timings.migrateMs} ms, seed ${templates.timings.seedMs} ms)`);
  state.cluster = await clusterPromise;
  log(`kubernetes ${state.cluster.server} ${state.cluster.reused ? "reused" : "started"} (${Date.now() - t0} ms)`);

  const { binDir } = await import("../scripts/k8s/cluster");
  const { ensureVclusterCharts, serveChartRepository } = await import("../scripts/k8s/chart-repo");
  await ensureVclusterCharts((l) => log(l));
  state.charts = await serveChartRepository();
  const bin = path.join(root, "node_modules", ".bin");
  const env: Record<string, string | undefined> = {
    ...process.env,
    PATH: `${bin}:${process.env.PATH ?? ""}`,
    DATABASE_URL: database.url,
    AUTH_SECRET: randomBytes(32).toString("base64"),
    AUTH_URL: baseURL,
    AUTH_TRUST_HOST: "true",
    AUTH_DEV_LOGIN: "true",
    PORTAL_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
    KUBECONFIG: state.cluster.kubeconfig,
    HELM_BIN: process.env.HELM_BIN ?? path.join(binDir(), "helm"),
    // The real loft-sh/vcluster charts from the Go module, served as a local Helm repository.
    VCLUSTER_CHART_REPO: process.env.VCLUSTER_CHART_REPO ?? state.charts.url,
    WORKER_METRICS_PORT: String(await freePort()), // not the fixed default: other portals may run here
    // Own build dir, so that `next dev` here does not collide (Next's dev lock) with a `npm start`/`npm run dev`
    // in the same checkout — takes effect where next.config.mjs sets `distDir: process.env.NEXT_DIST_DIR ?? ".next"`.
    NEXT_DIST_DIR: ".next/e2e",
    NEXT_TELEMETRY_DISABLED: "1",
    CHECKPOINT_DISABLE: "1",
  };
  delete env.NODE_ENV; // `next dev` sets development; the dev sign-in refuses production
  for (const key of ["AUTH_OIDC_ISSUER", "AUTH_OIDC_CLIENT_ID", "AUTH_OIDC_CLIENT_SECRET"]) delete env[key];

  const logDir = path.join(root, "test-results", "e2e-logs");
  const web = startService("web", path.join(bin, "next"), ["dev", "--port", port], { cwd: root, env, logDir });
  state.services.push(web);
  if (existsSync(path.join(root, "scripts", "worker.ts"))) {
    state.services.push(startService("worker", "npm", ["run", "worker"], { cwd: root, env: { ...env, VCP_PROCESS: "worker" }, logDir }));
  }
  // kwok pods run no containers: the emulator gives each ready vcluster control plane a real API server and
  // writes its vc-<release> Secret as vCluster does.
  state.services.push(
    startService("vcluster-emulator", path.join(bin, "tsx"), ["scripts/vcluster-emulator/main.ts", "--kubeconfig", state.cluster.kubeconfig, "--namespace-prefix", "vc-"], { cwd: root, env, logDir }),
  );
  log(`next dev on ${baseURL} + worker + vcluster emulator; logs in ${path.relative(root, logDir)}/`);

  // First request compiles the route: warm the sign-in page up so the first test does not pay for it.
  await waitForHttp(`${baseURL}/signin`, web, { ok: (s) => s === 200 });
  for (const s of state.services) {
    if (s.child.exitCode !== null) throw new Error(`${s.name} exited (${s.child.exitCode}); log ${s.logFile}:\n${s.tail()}`);
  }
  // Test workers start after global setup and inherit this environment: specs may check the database
  // or the host cluster directly (createPrisma(process.env.DATABASE_URL), KUBECONFIG).
  process.env.DATABASE_URL = database.url;
  process.env.KUBECONFIG = state.cluster.kubeconfig;
  log(`ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}
