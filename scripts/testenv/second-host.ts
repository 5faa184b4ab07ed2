// A second local host cluster, `test-b`, for integration tests that need more than one host (placement
// across hosts). Started in a test file's beforeAll (or reused when already running) and released in its
// afterAll. Like scripts/testenv/cluster.ts, each process registers as a user (a pid file), and the cluster
// is stopped by the last live user — so two runs of the same file never pull it out from under each other.
// Set VCP_KEEP_TEST_CLUSTER=1 to keep it running for faster reruns (`npm run k8s:down -- --name test-b`).
//
// Port base 18600 (override: VCP_TEST_B_PORT_BASE): 17400 is `test`, 17500 `test-k8s` (scripts/k8s/cluster.int.test.ts),
// and 18400 is taken by ad-hoc instances such as `bench`.
import { clusterUsers } from "./cluster-users";

const portBaseB = Number(process.env.VCP_TEST_B_PORT_BASE) || 18600;
export const SECOND_HOST = { name: portBaseB === 18600 ? "test-b" : `test-b-${portBaseB}`, portBase: portBaseB } as const;

const users = clusterUsers(SECOND_HOST.name);

export interface SecondHost {
  name: string;
  /** Admin kubeconfig file of `test-b`. */
  kubeconfig: string;
  server: string;
  reused: boolean;
  /** Unregisters this process; stops the cluster when no other live process uses it (unless VCP_KEEP_TEST_CLUSTER=1). */
  release(): Promise<void>;
}

const defaultLog = (line: string) => console.error(`[testenv ${SECOND_HOST.name}] ${line}`);

export async function upSecondHost(log: (line: string) => void = defaultLog): Promise<SecondHost> {
  const k8s = await import("../k8s/lifecycle");
  if (!process.env.PATH?.split(":").includes("/usr/local/go/bin")) process.env.PATH = `${process.env.PATH ?? ""}:/usr/local/go/bin`;
  const unregister = users.register();
  let res: Awaited<ReturnType<typeof k8s.upCluster>>;
  try {
    res = await k8s.upCluster({ ...SECOND_HOST, log });
  } catch (err) {
    unregister();
    throw new Error(
      `The second local host cluster "${SECOND_HOST.name}" could not be started: ${(err as Error).message}\n` +
        `Start it by hand to see why: npm run k8s:up -- --name ${SECOND_HOST.name} --port-base ${SECOND_HOST.portBase}`,
    );
  }
  return {
    name: SECOND_HOST.name,
    kubeconfig: res.kubeconfig,
    server: res.server,
    reused: res.reused,
    release: async () => {
      unregister();
      if (process.env.VCP_KEEP_TEST_CLUSTER === "1") return;
      const others = users.others();
      if (others > 0) {
        log(`leaving cluster "${SECOND_HOST.name}" running: ${others} other test run(s) use it`);
        return;
      }
      await k8s.downCluster(SECOND_HOST.name, { log });
    },
  };
}
