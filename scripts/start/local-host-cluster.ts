import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { ensureVclusterCharts, serveChartRepository, type ChartRepository } from "../k8s/chart-repo";
import { clusterStatus, goAvailable, kubeconfigPath, NO_GO_MESSAGE, upCluster } from "../k8s/cluster";
import { freePort } from "../testenv/postgres";

/**
 * Starts (or reuses) the local host cluster in the background so the portal is usable at once, and keeps
 * a status file that the Hosts page shows (building 3/7, starting, ready). Once ready, the real vcluster
 * charts are served as a Helm repository at `chartRepo` (known at once, serving once built), and the vCluster
 * control-plane emulator (test/dev infrastructure) starts so virtual clusters get a real API server.
 */
export async function startLocalHostCluster(statusFile: string, log: (line: string) => void): Promise<{ kubeconfig: string; chartRepo: string; stop: () => void }> {
  const kubeconfig = kubeconfigPath("dev");
  const chartPort = await freePort();
  const chartRepo = `http://127.0.0.1:${chartPort}`;
  let charts: ChartRepository | undefined;
  const write = (s: object) => writeFileSync(statusFile, JSON.stringify({ ...s, updatedAt: new Date().toISOString() }));
  if (!goAvailable()) {
    write({ state: "unavailable", detail: NO_GO_MESSAGE });
    log(`Local host cluster unavailable: ${NO_GO_MESSAGE}`);
    return { kubeconfig, chartRepo, stop: () => {} };
  }
  let emulator: ReturnType<typeof spawn> | undefined;
  const poll = setInterval(() => {
    clusterStatus("dev")
      .then((s) => write(s))
      .catch(() => {});
  }, 2_000);
  write({ state: "starting", detail: "starting the local host cluster" });
  upCluster({ name: "dev", log: (l) => log(l) })
    .then(async (res) => {
      log(`Local host cluster ready (${res.server}); kubeconfig ${res.kubeconfig}`);
      await ensureVclusterCharts((l) => log(l));
      charts = await serveChartRepository({ port: chartPort });
      log(`vcluster chart repository (real loft-sh/vcluster charts) at ${charts.url}`);
      emulator = spawn(process.execPath, ["--import", "tsx", "scripts/vcluster-emulator/main.ts", "--kubeconfig", res.kubeconfig, "--local-route"], { stdio: "inherit", env: process.env });
    })
    .catch((e: Error) => {
      write({ state: "failed", detail: e.message });
      log(`Local host cluster failed: ${e.message}. Attach a host cluster with KUBECONFIG instead.`);
    });
  return {
    kubeconfig,
    chartRepo,
    stop: () => {
      clearInterval(poll);
      emulator?.kill("SIGTERM");
      void charts?.stop();
    },
  };
}
