import { Counter, Gauge, Histogram, collectDefaultMetrics, register, type Registry } from "prom-client";
// Registers vcp_kube_request_duration_seconds / _errors_total / rate-limit wait on the same registry.
import "@/lib/kube/metrics";

// Process-local metrics of this process (web or worker), all on prom-client's default registry:
// - the web serves them with the database-derived metrics on /api/metrics (lib/metrics/db-metrics.ts);
// - the worker serves them on WORKER_METRICS_PORT (lib/reconciler/worker.ts).
// Next.js dev reloads re-evaluate modules, so every metric reuses an existing registration.

export const registry: Registry = register;

function reuse<T>(name: string, make: () => T): T {
  return (register.getSingleMetric(name) as T | undefined) ?? make();
}

const defaults = globalThis as unknown as { __vcpDefaultMetrics?: boolean };
/** Node.js process metrics (CPU, memory, event loop lag), prefixed vcp_. Idempotent. */
export function enableDefaultMetrics(): void {
  if (defaults.__vcpDefaultMetrics) return;
  defaults.__vcpDefaultMetrics = true;
  collectDefaultMetrics({ register, prefix: "vcp_" });
}

// ───────────────────────────── web ─────────────────────────────

/** Incremented by the kubeconfig download route for every kubeconfig served (each download is also audited). */
export const kubeconfigDownloads = reuse(
  "vcp_kubeconfig_downloads_total",
  () => new Counter({ name: "vcp_kubeconfig_downloads_total", help: "Kubeconfigs of virtual clusters downloaded by people and API tokens." }),
);

// ───────────────────────────── worker ─────────────────────────────

export const reconcileSteps = reuse(
  "vcp_reconcile_steps_total",
  () =>
    new Counter({
      name: "vcp_reconcile_steps_total",
      help: "Reconcile steps by what the step was about (run, sleep, delete, none) and how it ended (converged, waiting, progressed, retry, failed, superseded, aborted).",
      labelNames: ["intent", "outcome"],
    }),
);

export const reconcileStepDuration = reuse(
  "vcp_reconcile_step_duration_seconds",
  () =>
    new Histogram({
      name: "vcp_reconcile_step_duration_seconds",
      help: "Wall time of one reconcile step (one claim), by intent.",
      labelNames: ["intent"],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300],
    }),
);

export const reconcileClaimLatency = reuse(
  "vcp_reconcile_claim_latency_seconds",
  () =>
    new Histogram({
      name: "vcp_reconcile_claim_latency_seconds",
      help: "How long after a cluster became due a worker claimed it (queue latency).",
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300],
    }),
);

export const reconcileInflight = reuse(
  "vcp_reconcile_inflight",
  () => new Gauge({ name: "vcp_reconcile_inflight", help: "Reconcile steps this worker is running now." }),
);

export const phaseTransitions = reuse(
  "vcp_cluster_phase_transitions_total",
  () => new Counter({ name: "vcp_cluster_phase_transitions_total", help: "Phase changes made by the reconciler and its sweeps.", labelNames: ["from", "to"] }),
);

/** Buckets for request→READY, long enough to include an admin's approval. */
export const PROVISIONING_BUCKETS = [5, 10, 15, 20, 30, 45, 60, 90, 120, 180, 300, 600, 1800, 3600, 4 * 3600, 24 * 3600];

export const workerProvisioningDuration = reuse(
  "vcp_reconcile_provisioning_duration_seconds",
  () =>
    new Histogram({
      name: "vcp_reconcile_provisioning_duration_seconds",
      help: "Request→READY of clusters this worker process saw become ready for the first time (the complete history, from the database, is vcp_cluster_provisioning_duration_seconds on /api/metrics).",
      labelNames: ["template"],
      buckets: PROVISIONING_BUCKETS,
    }),
);

export const sweepRuns = reuse(
  "vcp_sweep_runs_total",
  () => new Counter({ name: "vcp_sweep_runs_total", help: "Periodic sweeps run by workers (expiry, drift, usage), by outcome.", labelNames: ["sweep", "outcome"] }),
);

export const sweepActions = reuse(
  "vcp_sweep_actions_total",
  () => new Counter({ name: "vcp_sweep_actions_total", help: "Clusters acted on by sweeps: expired-delete, expired-sleep, drift, usage-snapshot.", labelNames: ["action"] }),
);
