// The worker's own Prometheus endpoint has no authentication: it listens on loopback unless
// WORKER_METRICS_HOST says otherwise. A real worker against a real (empty) database.
import net from "node:net";
import os from "node:os";
import { afterEach, describe, expect, it } from "vitest";
import { Worker } from "@/lib/reconciler/worker";
import { freePort } from "@/scripts/testenv/postgres";
import { useTestDatabase } from "@/scripts/testenv/per-file";

const testDb = useTestDatabase({ seeded: false });
const workers: Worker[] = [];

afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.stop({ timeoutMs: 2_000 })));
});

async function startWorker(metricsHost?: string) {
  const port = await freePort();
  const w = new Worker({ db: testDb.prisma(), concurrency: 1, pollMs: 60_000, sweeps: false, metricsPort: port, metricsHost });
  workers.push(w);
  await w.start();
  return { w, port };
}

/** Resolves true when a TCP connection to host:port succeeds. */
const reachable = (host: string, port: number) =>
  new Promise<boolean>((resolve) => {
    const s = net.connect({ host, port, timeout: 2_000 });
    s.once("connect", () => {
      s.destroy();
      resolve(true);
    });
    s.once("error", () => resolve(false));
    s.once("timeout", () => {
      s.destroy();
      resolve(false);
    });
  });

/** An IPv4 address of this machine that is not loopback, if it has one. */
const externalIPv4 = () =>
  Object.values(os.networkInterfaces())
    .flat()
    .find((a) => a && a.family === "IPv4" && !a.internal)?.address;

describe("worker metrics endpoint", () => {
  it("listens on 127.0.0.1 by default and serves the process metrics there", async () => {
    const { w, port } = await startWorker();
    expect(w.metricsAddress).toBe(`http://127.0.0.1:${port}/metrics`);
    const res = await fetch(w.metricsAddress!);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("vcp_reconcile_inflight");
    const other = externalIPv4();
    if (other) expect(await reachable(other, port)).toBe(false);
  });

  it("listens on WORKER_METRICS_HOST when it is set", async () => {
    const { w, port } = await startWorker("0.0.0.0");
    expect(w.metricsAddress).toBe(`http://0.0.0.0:${port}/metrics`);
    expect(await reachable("127.0.0.1", port)).toBe(true);
    const other = externalIPv4();
    if (other) expect(await reachable(other, port)).toBe(true);
  });
});
