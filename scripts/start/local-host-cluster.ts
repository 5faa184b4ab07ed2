import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { ensureVclusterCharts, serveChartRepository, type ChartRepository } from "../k8s/chart-repo";
import { goAvailable, isBuilt, NO_GO_MESSAGE } from "../k8s/binaries";
import { upCluster } from "../k8s/lifecycle";
import { kubeconfigPath } from "../k8s/locations";
import { clusterStatus, type ClusterStatus } from "../k8s/status";
import { freePort } from "../testenv/postgres";

/**
 * Starts (or reuses) the local host cluster in the background so the portal is usable at once, and keeps
 * a status file that the Hosts page shows (building 3/7, starting, ready). Once ready, the real vcluster
 * charts are served as a Helm repository at `chartRepo` (known at once, serving once built), and the vCluster
 * control-plane emulator (test/dev infrastructure) starts so virtual clusters get a real API server.
 */
export type LocalHostCluster = {
  kubeconfig: string;
  chartRepo: string;
  /** False without Go: nothing was started. */
  available: boolean;
  /** Its state now (for the message on stop). */
  status: () => Promise<ClusterStatus>;
  /** Stops what `npm start` runs beside the cluster (emulator, chart repository); the cluster keeps running. */
  stop: () => void;
};

export async function startLocalHostCluster(statusFile: string, log: (line: string) => void): Promise<LocalHostCluster> {
  const kubeconfig = kubeconfigPath("dev");
  const chartPort = await freePort();
  const chartRepo = `http://127.0.0.1:${chartPort}`;
  let charts: ChartRepository | undefined;
  const write = (s: object) => writeFileSync(statusFile, JSON.stringify({ ...s, updatedAt: new Date().toISOString() }));
  if (!goAvailable()) {
    write({ state: "unavailable", detail: NO_GO_MESSAGE });
    log(`Local host cluster unavailable: ${NO_GO_MESSAGE}`);
    return { kubeconfig, chartRepo, available: false, status: () => clusterStatus("dev"), stop: () => {} };
  }
  let emulator: ReturnType<typeof spawn> | undefined;
  const poll = setInterval(() => {
    clusterStatus("dev")
      .then((s) => write(s))
      .catch(() => {});
  }, 2_000);
  write({ state: "starting", detail: "starting the local host cluster" });
  const t0 = Date.now();
  const mustBuild = !isBuilt();
  if (mustBuild) log("Kubernetes: building the local host cluster's binaries in the background (first time ~9 min on 2 cores); the portal is usable meanwhile");
  upCluster({ name: "dev", log: (l) => log(l) })
    .then(async (res) => {
      const took = `${((Date.now() - t0) / 1000).toFixed(1)} s`;
      log(`Kubernetes: local host cluster ${res.reused ? "already running, reused" : mustBuild ? "built and started" : "started"} in ${took} (${res.server}; kubeconfig ${res.kubeconfig})`);
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
    available: true,
    status: () => clusterStatus("dev"),
    stop: () => {
      clearInterval(poll);
      emulator?.kill("SIGTERM");
      void charts?.stop();
    },
  };
}
