import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { clusterStatus, goAvailable, kubeconfigPath, NO_GO_MESSAGE, upCluster } from "../k8s/cluster";

/**
 * Starts (or reuses) the local host cluster in the background so the portal is usable at once, and keeps
 * a status file that the Hosts page shows (building 3/7, starting, ready). Once ready, the vCluster
 * control-plane emulator (test/dev infrastructure) starts so virtual clusters get a real API server.
 */
export function startLocalHostCluster(statusFile: string, log: (line: string) => void): { kubeconfig: string; stop: () => void } {
  const kubeconfig = kubeconfigPath("dev");
  const write = (s: object) => writeFileSync(statusFile, JSON.stringify({ ...s, updatedAt: new Date().toISOString() }));
  if (!goAvailable()) {
    write({ state: "unavailable", detail: NO_GO_MESSAGE });
    log(`Local host cluster unavailable: ${NO_GO_MESSAGE}`);
    return { kubeconfig, stop: () => {} };
  }
  let emulator: ReturnType<typeof spawn> | undefined;
  const poll = setInterval(() => {
    clusterStatus("dev")
      .then((s) => write(s))
      .catch(() => {});
  }, 2_000);
  write({ state: "starting", detail: "starting the local host cluster" });
  upCluster({ name: "dev", log: (l) => log(l) })
    .then((res) => {
      log(`Local host cluster ready (${res.server}); kubeconfig ${res.kubeconfig}`);
      emulator = spawn(process.execPath, ["--import", "tsx", "scripts/vcluster-emulator/main.ts", "--kubeconfig", res.kubeconfig], { stdio: "inherit", env: process.env });
    })
    .catch((e: Error) => {
      write({ state: "failed", detail: e.message });
      log(`Local host cluster failed: ${e.message}. Attach a host cluster with KUBECONFIG instead.`);
    });
  return {
    kubeconfig,
    stop: () => {
      clearInterval(poll);
      emulator?.kill("SIGTERM");
    },
  };
}
