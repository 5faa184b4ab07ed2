// Shared setup of the reconciler's tests on the real local host cluster (lib/reconciler/real-host-*.int.test.ts):
// kube-apiserver + kwok, the helm driver with the real loft-sh/vcluster chart from the local chart repository,
// and scripts/vcluster-emulator playing the vcluster control plane (a real kube-apiserver per ready control plane,
// Secret vc-<release> written as vCluster does). Each test file gets its own database, team and emulator.
import { execFileSync } from "node:child_process";
import path from "node:path";
import { afterAll, afterEach, beforeAll } from "vitest";
import { createPrisma } from "@/lib/db/client";
import { requestCluster } from "@/lib/domain/request-cluster";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { hostClient, type KubeClient } from "@/lib/kube/client";
import { MANAGED_BY_POD_LABEL } from "@/lib/kube/vcluster-control-plane";
import { Worker, type WorkerOptions } from "@/lib/reconciler/worker";
import { binDir } from "@/scripts/k8s/locations";
import { startEmulator, type Emulator } from "@/scripts/vcluster-emulator/emulator";
import { testChartRepo } from "@/scripts/vcluster-emulator/testing";
import { createTestTeam, waitUntil } from "./fake-host";
import { testKubeconfig, testNamespacePrefix, useTestDatabase } from "./per-file";

const STEP = { readyPollMs: 500, deletePollMs: 1_000, backoff: { baseMs: 300, capMs: 2_000 } };

export interface RealHost {
  /** This file's database, its team slug (also the emulator's namespace prefix) and its team. */
  readonly prisma: PrismaClient;
  readonly slug: string;
  readonly team: Awaited<ReturnType<typeof createTestTeam>>;
  readonly kube: KubeClient;
  readonly emulator: Emulator;
  /** A worker on this file's database with the real host ops; stopped after each test. */
  startWorker(over?: Partial<WorkerOptions>): Worker;
  /** Stops every worker started so far (what runs after each test anyway). */
  stopWorkers(): Promise<void>;
  /** A cluster of `template` requested by the team's member, named c<n>. */
  request(template?: string): ReturnType<typeof requestCluster>;
  helmReleases(namespace: string): string[];
  /** The release's revisions, oldest first (helm history). */
  helmHistory(namespace: string, release: string): { revision: number; status: string }[];
  /** The team's namespaces on the host that are not terminating. */
  namespacesOfTeam(): Promise<string[]>;
  /**
   * Cleanup between tests (deletion through the reconciler is tested on its own): removes the namespaces
   * directly, so the emulator stops their API servers, and retires the rows.
   */
  dropFromHost(clusters: { id: string; namespace: string | null }[]): Promise<void>;
  /** The cluster's timeline event types, oldest first. */
  eventTypes(clusterId: string): Promise<string[]>;
  /** Pods labelled as the syncer labels what it creates, scheduled on the kwok nodes; resolves once all run. */
  startWorkloadPods(namespace: string, release: string, count: number): Promise<string[]>;
}

/** Call at the top level of a test file: sets the environment lib/env.ts reads once, and the hooks. */
export function setUpRealHostReconciler(): RealHost {
  // lib/env.ts reads these once, on first use: set them before anything calls env().
  process.env.KUBECONFIG = testKubeconfig();
  process.env.HELM_BIN = path.join(binDir(), "helm");
  process.env.VCLUSTER_CHART_REPO = testChartRepo();
  process.env.HELM_TIMEOUT_SECONDS = "20";

  const testDb = useTestDatabase({ seeded: true });
  const slug = testNamespacePrefix().slice(0, 22).replace(/-+$/, "");
  let prisma: PrismaClient | undefined;
  let team: RealHost["team"] | undefined;
  let emulator: Emulator | undefined;
  let kube: KubeClient | undefined;
  const workers: Worker[] = [];
  let n = 0;
  const ready = <T>(v: T | undefined): T => {
    if (v === undefined) throw new Error("setUpRealHostReconciler(): only available in tests and hooks (after beforeAll ran)");
    return v;
  };

  const host: RealHost = {
    get prisma() {
      return ready(prisma);
    },
    slug,
    get team() {
      return ready(team);
    },
    get kube() {
      return ready(kube);
    },
    get emulator() {
      return ready(emulator);
    },
    startWorker(over = {}) {
      const w = new Worker({ db: host.prisma, databaseUrl: testDb.url(), concurrency: 4, leaseSeconds: 15, pollMs: 1_000, sweeps: false, step: STEP, ...over });
      workers.push(w);
      void w.start();
      return w;
    },
    async stopWorkers() {
      await Promise.all(workers.splice(0).map((w) => w.stop({ timeoutMs: 5_000 })));
    },
    request(template = "sandbox") {
      return requestCluster(host.team.member, { teamId: host.team.teamId, templateSlug: template, name: `c${++n}` });
    },
    helmReleases(namespace) {
      const out = execFileSync(path.join(binDir(), "helm"), ["list", "--all", "-q", "--namespace", namespace, "--kubeconfig", testKubeconfig()], { encoding: "utf8" });
      return out.split("\n").filter(Boolean);
    },
    helmHistory(namespace, release) {
      const out = execFileSync(path.join(binDir(), "helm"), ["history", release, "--output", "json", "--namespace", namespace, "--kubeconfig", testKubeconfig()], { encoding: "utf8" });
      return (JSON.parse(out) as { revision: number; status: string }[]).map(({ revision, status }) => ({ revision, status }));
    },
    async namespacesOfTeam() {
      const list = await host.kube.core.listNamespace({ labelSelector: `vcluster-portal.dev/team-id=${host.team.teamId}` });
      return list.items.filter((ns) => !ns.metadata?.deletionTimestamp).map((ns) => ns.metadata!.name!);
    },
    async dropFromHost(clusters) {
      for (const c of clusters) await host.kube.core.deleteNamespace({ name: c.namespace! }).catch(() => {});
      await host.prisma.virtualCluster.updateMany({ where: { id: { in: clusters.map((c) => c.id) } }, data: { phase: "DELETED", desiredState: "DELETED" } });
    },
    async eventTypes(clusterId) {
      return (await host.prisma.clusterEvent.findMany({ where: { clusterId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] })).map((e) => e.type);
    },
    async startWorkloadPods(namespace, release, count) {
      const names: string[] = [];
      for (let i = 0; i < count; i++) {
        const name = `web-${i}-x-default-x-${release}`.slice(0, 63);
        await host.kube.core.createNamespacedPod({
          namespace,
          body: {
            metadata: { name, labels: { [MANAGED_BY_POD_LABEL]: release } },
            spec: { terminationGracePeriodSeconds: 1, containers: [{ name: "web", image: "registry.k8s.io/pause:3.10" }] },
          },
        });
        names.push(name);
      }
      await waitUntil(
        "workload pods running",
        async () => {
          const pods = await host.kube.core.listNamespacedPod({ namespace, labelSelector: `${MANAGED_BY_POD_LABEL}=${release}` });
          return pods.items.filter((p) => p.status?.phase === "Running").length === count;
        },
        60_000,
        300,
      );
      return names;
    },
  };

  beforeAll(async () => {
    prisma = createPrisma(testDb.url(), 16);
    team = await createTestTeam(prisma, slug);
    kube = hostClient({ id: "test-kube", connection: "LOCAL", kubeconfigEncrypted: null, clientQps: 50, clientBurst: 100 });
    emulator = await startEmulator({ hostKubeconfig: testKubeconfig(), namespacePrefix: `vc-${slug}-`, pollMs: 300, log: () => {} });
    // The public address vCluster exports (exportKubeConfig.server); the emulator is the ingress behind it.
    await prisma.hostCluster.update({ where: { name: "local" }, data: { endpointPattern: "https://{release}.{namespace}.vc.example.test" } });
  });

  afterEach(async () => {
    await host.stopWorkers();
  });

  afterAll(async () => {
    // Leave the shared host clean: delete every namespace of this file's team.
    if (kube && team) for (const ns of await host.namespacesOfTeam().catch(() => [])) await kube.core.deleteNamespace({ name: ns }).catch(() => {});
    await emulator?.stop();
    await prisma?.$disconnect();
  });

  return host;
}
