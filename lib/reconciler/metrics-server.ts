import http from "node:http";
import type { Logger } from "@/lib/log";
import { registry } from "@/lib/metrics/registry";

// The worker's own metrics over HTTP (docs/reconciler.md "Metrics"): GET /metrics, no authentication, so it
// binds to loopback unless WORKER_METRICS_HOST opens it.

/** Where a server is reachable, e.g. http://127.0.0.1:9464/metrics (the interface actually bound). */
export function metricsAddress(server: http.Server | null): string | null {
  const a = server?.address();
  if (!a || typeof a !== "object") return null;
  return `http://${a.family === "IPv6" ? `[${a.address}]` : a.address}:${a.port}/metrics`;
}

/** Serves the process's prom-client registry; rejects when the port cannot be bound. */
export function serveMetrics(port: number, host: string, log: Logger): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    if (req.method !== "GET" || (req.url !== "/metrics" && req.url !== "/")) {
      res.writeHead(404).end();
      return;
    }
    registry
      .metrics()
      .then((body) => res.writeHead(200, { "Content-Type": registry.contentType }).end(body))
      .catch((e: Error) => res.writeHead(500).end(e.message));
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      log.info({ metrics: metricsAddress(server) }, "worker metrics served");
      resolve(server);
    });
  });
}

export function closeServer(server: http.Server | null): Promise<void> {
  return server ? new Promise<void>((r) => server.close(() => r())) : Promise.resolve();
}
