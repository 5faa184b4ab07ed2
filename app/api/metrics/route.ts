import { Registry } from "prom-client";
import { db } from "@/lib/db/client";
import { log } from "@/lib/log";
import { createDbRegistry } from "@/lib/metrics/db-metrics";
import { enableDefaultMetrics, registry } from "@/lib/metrics/registry";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

// Prometheus scrape endpoint of the web app: this process's metrics (kubeconfig downloads, its kube requests,
// Node.js runtime) plus fleet metrics derived from the database at scrape time (clusters by phase, reconcile
// queue, request→READY durations). The worker serves its own process metrics on WORKER_METRICS_PORT.

const g = globalThis as unknown as { __vcpDbRegistry?: Registry };

export async function GET() {
  enableDefaultMetrics();
  g.__vcpDbRegistry ??= createDbRegistry(db);
  try {
    const body = await Registry.merge([registry, g.__vcpDbRegistry]).metrics();
    return new Response(body, { headers: { "Content-Type": registry.contentType, "Cache-Control": "no-store" } });
  } catch (e) {
    log.error({ err: (e as Error).message }, "metrics scrape failed");
    return new Response(`# metrics unavailable: ${(e as Error).message.split("\n")[0]}\n`, { status: 503, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  }
}
