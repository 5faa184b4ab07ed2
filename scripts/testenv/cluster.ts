// The local host cluster `test` for the integration and e2e tiers (scripts/k8s/cluster.ts, helper "k8s").
// Started or reused; stopped afterwards only if this run started it and nobody asked to keep it
// (scripts/test-all.ts sets VCP_KEEP_TEST_CLUSTER=1 so both tiers share one start, then stops it itself).

export const TEST_CLUSTER = { name: "test", portBase: 17400 } as const;

type ClusterModule = typeof import("../k8s/cluster");

const HOW_TO =
  "The integration and e2e tiers need the local Kubernetes host cluster. Build and start it once with " +
  "`npm run k8s:up -- --name test --port-base 17400` (the first build takes 15-30 min; it needs Go on PATH, " +
  "e.g. export PATH=$PATH:/usr/local/go/bin) and read its output for the cause.";

async function loadClusterModule(): Promise<ClusterModule> {
  try {
    return await import("../k8s/cluster");
  } catch (err) {
    throw new Error(`Cannot load scripts/k8s/cluster.ts (${(err as Error).message}). ${HOW_TO}`);
  }
}

export interface TestCluster {
  kubeconfig: string;
  server: string;
  reused: boolean;
  /** Stops the cluster if this call started it and VCP_KEEP_TEST_CLUSTER is not set. */
  release(): Promise<void>;
}

export async function upTestCluster(log: (line: string) => void = (l) => console.error(`[testenv k8s] ${l}`)): Promise<TestCluster> {
  const k8s = await loadClusterModule();
  if (!process.env.PATH?.split(":").includes("/usr/local/go/bin")) process.env.PATH = `${process.env.PATH ?? ""}:/usr/local/go/bin`;
  let res: Awaited<ReturnType<ClusterModule["upCluster"]>>;
  try {
    res = await k8s.upCluster({ ...TEST_CLUSTER, log });
  } catch (err) {
    throw new Error(`Local Kubernetes cluster "${TEST_CLUSTER.name}" could not be started: ${(err as Error).message}\n${HOW_TO}`);
  }
  return {
    kubeconfig: res.kubeconfig,
    server: res.server,
    reused: res.reused,
    release: async () => {
      if (res.reused || process.env.VCP_KEEP_TEST_CLUSTER === "1") return;
      await k8s.downCluster(TEST_CLUSTER.name, { log });
    },
  };
}
