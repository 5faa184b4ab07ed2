/**
 * The reconciler worker process: `npm run worker` (npm start runs one next to the web app).
 * Any number of workers may run against one database; see docs/reconciler.md.
 */
process.env.VCP_PROCESS ??= "worker";

// Imported after VCP_PROCESS is set, so every JSON log line says service=worker.
const { env } = await import("@/lib/env");
const { createPrisma } = await import("@/lib/db/client");
const { log } = await import("@/lib/log");
const { enableDefaultMetrics } = await import("@/lib/metrics/registry");
const { Worker, defaultWorkerId } = await import("@/lib/reconciler/worker");
const { HostWatches } = await import("@/lib/reconciler/host-watches");
const { runStartupChecks, startupFailureLine } = await import("@/lib/startup-checks");

let config: ReturnType<typeof env>;
try {
  config = env();
  await runStartupChecks({ service: "worker", env: config, log });
} catch (e) {
  const line = startupFailureLine("worker", e);
  if (line) {
    console.error(line);
    process.exit(1);
  }
  throw e;
}

const db = createPrisma(config.DATABASE_URL, config.WORKER_CONCURRENCY + 4);
enableDefaultMetrics();
const hostWatches = config.WORKER_WATCH_HOSTS ? new HostWatches({ db, log }) : undefined;
const worker = new Worker({
  hostWatches,
  db,
  databaseUrl: config.DATABASE_URL,
  id: defaultWorkerId(config.WORKER_ID),
  concurrency: config.WORKER_CONCURRENCY,
  approvalTimeoutHours: config.APPROVAL_TIMEOUT_HOURS,
  orphanGraceMinutes: config.ORPHAN_GRACE_MINUTES,
  leaseSeconds: config.RECONCILE_LEASE_SECONDS,
  metricsPort: config.WORKER_METRICS_PORT,
  metricsHost: config.WORKER_METRICS_HOST,
  step: { maxAttempts: config.RECONCILE_MAX_ATTEMPTS, readyTimeoutMs: config.RECONCILE_READY_TIMEOUT_SECONDS * 1000 },
  log,
});

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) {
    console.error(`vcluster-portal worker: second ${signal}, exiting now (leases expire on their own)`);
    process.exit(1);
  }
  stopping = true;
  log.info({ signal }, "shutting down: finishing running steps");
  await worker.stop({ timeoutMs: 25_000 });
  await hostWatches?.stop();
  await db.$disconnect();
  process.exit(0);
}
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));

try {
  await hostWatches?.start();
  await worker.start();
} catch (e) {
  console.error(`vcluster-portal worker: could not start: ${(e as Error).message}`);
  process.exit(1);
}
const metrics = worker.metricsAddress ? `; metrics on ${worker.metricsAddress.replace("127.0.0.1", "localhost")}` : "";
console.log(
  `vcluster-portal worker ${worker.id} is reconciling virtual clusters (concurrency ${config.WORKER_CONCURRENCY}, lease ${config.RECONCILE_LEASE_SECONDS}s, host KUBECONFIG ${config.KUBECONFIG ?? "unset"}, ${hostWatches ? "watching hosts" : "polling hosts"})${metrics}. Ctrl-C stops it gracefully.`,
);
export {};
