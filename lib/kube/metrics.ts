import { Counter, Histogram, register } from "prom-client";

// Metrics of every request the portal makes to a host API server (recorded by lib/kube/client.ts).
// Registered once on the default registry; Next.js dev reloads re-evaluate this module, so reuse what exists.

function histogram(name: string, help: string, labelNames: string[], buckets: number[]): Histogram<string> {
  return (register.getSingleMetric(name) as Histogram<string> | undefined) ?? new Histogram({ name, help, labelNames, buckets });
}

function counter(name: string, help: string, labelNames: string[]): Counter<string> {
  return (register.getSingleMetric(name) as Counter<string> | undefined) ?? new Counter({ name, help, labelNames });
}

export const kubeRequestDuration = histogram(
  "vcp_kube_request_duration_seconds",
  "Latency of requests to host Kubernetes API servers until response headers (excludes client-side rate-limit wait).",
  ["verb", "resource", "code"],
  [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
);

export const kubeRequestErrors = counter(
  "vcp_kube_request_errors_total",
  "Failed requests to host Kubernetes API servers: network errors (code=network) and error statuses other than 404 and 409, which are expected answers (absent / retry).",
  ["verb", "resource", "code"],
);

export const kubeRateLimitWait = histogram(
  "vcp_kube_rate_limit_wait_seconds",
  "Time requests waited in the client-side token bucket before being sent.",
  [],
  [0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
);

export const kubeWatchEvents = counter(
  "vcp_kube_watch_events_total",
  "Events received on the reconciler's watches of host clusters (lib/kube/watch), by resource and type (added, modified, deleted, bookmark).",
  ["resource", "type"],
);

export const kubeWatchRequests = counter(
  "vcp_kube_watch_requests_total",
  "Watch requests opened to host API servers (each one long-running; its list goes through vcp_kube_request_duration_seconds).",
  ["resource"],
);
