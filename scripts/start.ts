/**
 * npm start: the whole portal on an embedded default. PostgreSQL (embedded, migrated, seeded), the local
 * host cluster (built from Go modules in the background), the reconciler worker and the web app.
 * Set DATABASE_URL / KUBECONFIG to use your own instead.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { binDir } from "./k8s/cluster";
import { startEmbeddedPostgres } from "./start/embedded-postgres";
import { startLocalHostCluster } from "./start/local-host-cluster";

const root = path.resolve(import.meta.dirname, "..");
const port = Number(process.env.PORT ?? 3000);
const say = (line: string) => console.log(`[start] ${line}`);
const children: ChildProcess[] = [];
const cleanups: (() => unknown)[] = [];

async function main() {
  mkdirSync(path.join(root, ".data"), { recursive: true });
  const env: NodeJS.ProcessEnv = { NEXT_TELEMETRY_DISABLED: "1", ...process.env };
  const embedded = !env.DATABASE_URL;
  // A development launcher (`next dev`): say so to the worker too, which otherwise runs without NODE_ENV and
  // then needs PORTAL_ENCRYPTION_KEY (lib/env.ts: only NODE_ENV=development may use the built-in key).
  if (!env.NODE_ENV) Object.assign(env, { NODE_ENV: "development" });

  if (embedded) {
    say("Starting the embedded PostgreSQL (.data/postgres)…");
    const pg = await startEmbeddedPostgres(root);
    cleanups.push(pg.stop);
    env.DATABASE_URL = pg.url;
    env.AUTH_DEV_LOGIN ??= "true";
    // A stable development secret; production must set its own (lib/env.ts enforces it).
    env.AUTH_SECRET ??= "development-only-secret-do-not-use-in-production";
  }

  say("Applying database migrations…");
  run("npx", ["prisma", "migrate", "deploy"], env);
  if (embedded || env.VCP_SEED === "true") {
    say("Seeding teams, people and templates…");
    run("npx", ["tsx", "prisma/seed.ts"], env);
  }

  if (!env.KUBECONFIG && env.VCP_LOCAL_K8S !== "off") {
    env.VCP_LOCAL_K8S_STATUS_FILE = path.join(root, ".data", "local-k8s-status.json");
    const local = await startLocalHostCluster(env.VCP_LOCAL_K8S_STATUS_FILE, (l) => say(l));
    cleanups.push(local.stop);
    env.KUBECONFIG = local.kubeconfig;
    env.HELM_BIN ??= path.join(binDir(), "helm");
    // The public chart repository is unreachable offline: the same charts, fetched from the Go module, served locally.
    env.VCLUSTER_CHART_REPO ??= local.chartRepo;
  }

  children.push(spawn(process.execPath, ["--import", "tsx", "scripts/worker.ts"], { stdio: "inherit", env: { ...env, VCP_PROCESS: "worker" } }));
  const web = spawn(path.join(root, "node_modules", ".bin", "next"), ["dev", "--port", String(port)], { stdio: "inherit", env });
  children.push(web);

  say(`Portal: http://localhost:${port}`);
  if (env.AUTH_DEV_LOGIN === "true") say("Sign in with the development sign-in as dev.payments@example.com (developer), lead.payments@example.com (team lead) or admin@example.com (admin).");
  web.on("exit", (code) => shutdown(code ?? 0));
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv) {
  const r = spawnSync(cmd, args, { stdio: "inherit", env, cwd: root });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (exit ${r.status})`);
}

let stopping = false;
async function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  for (const c of children) c.kill("SIGTERM");
  for (const c of cleanups.reverse()) await Promise.resolve(c()).catch(() => {});
  process.exit(code);
}

process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));

main().catch(async (e: Error) => {
  console.error(`[start] ${e.message}`);
  await shutdown(1);
});
