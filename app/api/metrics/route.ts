import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { log } from "@/lib/log";
import { createDbRegistry } from "@/lib/metrics/db-metrics";
import { enableDefaultMetrics, registry } from "@/lib/metrics/registry";
import { DB_METRICS_TTL_MS, cachedFor, scrapeResponse } from "@/lib/metrics/scrape";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

// Prometheus scrape endpoint of the web app: this process's metrics (kubeconfig downloads, its kube requests,
// Node.js runtime) plus fleet metrics derived from the database (clusters by phase, reconcile queue,
// request→READY durations), those reused for DB_METRICS_TTL_MS. Requires `Authorization: Bearer
// <METRICS_TOKEN>`; without METRICS_TOKEN it is off (404). The worker serves its own process metrics on
// WORKER_METRICS_HOST:WORKER_METRICS_PORT.

const g = globalThis as unknown as { __vcpFleetMetrics?: () => Promise<string> };

export async function GET(req: Request) {
  try {
    return await scrapeResponse(req, {
      token: env().METRICS_TOKEN,
      contentType: registry.contentType,
      processMetrics: () => {
        enableDefaultMetrics();
        return registry.metrics();
      },
      fleetMetrics: () => {
        if (!g.__vcpFleetMetrics) {
          const fleet = createDbRegistry(db);
          g.__vcpFleetMetrics = cachedFor(DB_METRICS_TTL_MS, () => fleet.metrics());
        }
        return g.__vcpFleetMetrics();
      },
    });
  } catch (e) {
    log.error({ err: (e as Error).message }, "metrics scrape failed");
    return new Response(`# metrics unavailable: ${(e as Error).message.split("\n")[0]}\n`, { status: 503, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  }
}
