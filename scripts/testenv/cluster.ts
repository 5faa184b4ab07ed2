// The local host cluster `test` for the integration and e2e tiers (scripts/k8s/lifecycle.ts).
// Started, or reused when already running. Several test runs may share it (parallel sessions, or
// scripts/test-all.ts running both tiers), so each run registers as a user of it (a pid file), and the
// cluster is stopped afterwards only by a run that started it while no other live run still uses it.
// Set VCP_KEEP_TEST_CLUSTER=1 to keep it running for faster reruns (`npm run k8s:down -- --name test` stops it).
import { clusterUsers } from "./cluster-users";

// Override the port base (VCP_TEST_PORT_BASE) to run tests beside another run: a cluster of its own, with its
// own name (so its state directory is its own too).
const portBase = Number(process.env.VCP_TEST_PORT_BASE) || 17400;
export const TEST_CLUSTER = { name: portBase === 17400 ? "test" : `test-${portBase}`, portBase } as const;

type ClusterModule = typeof import("../k8s/lifecycle") & typeof import("../k8s/status");

const HOW_TO =
  "The integration and e2e tiers need the local Kubernetes host cluster. Build and start it once with " +
  "`npm run k8s:up -- --name test --port-base 17400` (the first build takes 15-30 min; it needs Go on PATH, " +
  "e.g. export PATH=$PATH:/usr/local/go/bin) and read its output for the cause.";

async function loadClusterModule(): Promise<ClusterModule> {
  try {
    const [lifecycle, status] = await Promise.all([import("../k8s/lifecycle"), import("../k8s/status")]);
    return { ...lifecycle, ...status };
  } catch (err) {
    throw new Error(`Cannot load scripts/k8s/lifecycle.ts (${(err as Error).message}). ${HOW_TO}`);
  }
}

const users = clusterUsers(TEST_CLUSTER.name);

async function stopIfUnused(k8s: ClusterModule, log: (line: string) => void): Promise<void> {
  if (process.env.VCP_KEEP_TEST_CLUSTER === "1") return;
  const others = users.others();
  if (others > 0) {
    log(`leaving cluster "${TEST_CLUSTER.name}" running: ${others} other test run(s) use it`);
    return;
  }
  await k8s.downCluster(TEST_CLUSTER.name, { log });
}

const defaultLog = (line: string) => console.error(`[testenv k8s] ${line}`);

export interface TestCluster {
  kubeconfig: string;
  server: string;
  reused: boolean;
  /** Unregisters; stops the cluster if this run started it and nobody else uses it. */
  release(): Promise<void>;
}

export async function upTestCluster(log: (line: string) => void = defaultLog): Promise<TestCluster> {
  const k8s = await loadClusterModule();
  if (!process.env.PATH?.split(":").includes("/usr/local/go/bin")) process.env.PATH = `${process.env.PATH ?? ""}:/usr/local/go/bin`;
  const unregister = users.register();
  let res: Awaited<ReturnType<ClusterModule["upCluster"]>>;
  try {
    res = await k8s.upCluster({ ...TEST_CLUSTER, log });
  } catch (err) {
    unregister();
    throw new Error(`Local Kubernetes cluster "${TEST_CLUSTER.name}" could not be started: ${(err as Error).message}\n${HOW_TO}`);
  }
  return {
    kubeconfig: res.kubeconfig,
    server: res.server,
    reused: res.reused,
    release: async () => {
      unregister();
      if (!res.reused) await stopIfUnused(k8s, log);
    },
  };
}

/**
 * For a driver running several tiers (scripts/test-all.ts): holds the cluster across them, so that the
 * tiers reuse one start, and stops it at the end if it was not running before.
 */
export async function holdTestCluster(log: (line: string) => void = defaultLog): Promise<{ release(): Promise<void> }> {
  const k8s = await loadClusterModule();
  const wasRunning = (await k8s.clusterStatus(TEST_CLUSTER.name).catch(() => undefined))?.state === "ready";
  const unregister = users.register();
  return {
    release: async () => {
      unregister();
      if (!wasRunning) await stopIfUnused(k8s, log);
    },
  };
}
