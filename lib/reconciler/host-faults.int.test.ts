// The reconciler under host faults, on the real local host cluster with the real helm binary:
//   - a step that loses its lease in the middle of helm kills the helm process and touches the host no more;
//   - a host whose API server hangs (accepts, never answers) fails its clusters' steps at the request deadline,
//     transiently, with backoff, while the same worker keeps serving clusters on other hosts;
//   - a release left pending by an interrupted helm is repaired as soon as no other claim is live, however
//     young helm's timestamp says it is.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createPrisma } from "@/lib/db/client";
import { encryptHostKubeconfig } from "@/lib/crypto/secret-box";
import { requestCluster } from "@/lib/domain/request-cluster";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { hostClient, kubeClientFromConfig, type KubeClient } from "@/lib/kube/client";
import { HelmDriver } from "@/lib/kube/drivers/helm";
import { markReleasePending, processesWith, startHungServer } from "@/scripts/testenv/helm-faults";
import { helmBin, testChartRepo } from "@/scripts/vcluster-emulator/testing";
import { testKubeconfig, testNamespacePrefix, useTestDatabase } from "@/scripts/testenv/per-file";
import { kubeHostOps, type HostOps, type HostOpsFactory } from "./host-ops";
import { PARKED_UNTIL } from "@/lib/domain/enqueue";
import { createTestTeam, waitUntil } from "@/scripts/testenv/fake-host";
import { Worker, type WorkerOptions } from "./worker";

// lib/env.ts reads these once, on first use: set them before anything calls env().
process.env.KUBECONFIG = testKubeconfig();
process.env.HELM_BIN = helmBin();
process.env.VCLUSTER_CHART_REPO = testChartRepo();
// Long on purpose: a pending release must be repaired at once, not after this much time.
process.env.HELM_TIMEOUT_SECONDS = "300";
process.env.KUBE_REQUEST_TIMEOUT_SECONDS = "2";

const testDb = useTestDatabase({ seeded: true });
const slug = testNamespacePrefix().slice(0, 22).replace(/-+$/, "");
let prisma: PrismaClient;
let team: Awaited<ReturnType<typeof createTestTeam>>;
let kube: KubeClient;
let hung: Awaited<ReturnType<typeof startHungServer>>;
const workers: Worker[] = [];
let n = 0;

const STEP = { readyPollMs: 500, deletePollMs: 1_000, backoff: { baseMs: 300, capMs: 2_000 } };

function startWorker(over: Partial<WorkerOptions> = {}): Worker {
  const w = new Worker({ db: prisma, databaseUrl: testDb.url(), concurrency: 2, leaseSeconds: 15, pollMs: 500, sweeps: false, step: STEP, ...over });
  workers.push(w);
  void w.start();
  return w;
}

async function request() {
  const c = await requestCluster(team.member, { teamId: team.teamId, templateSlug: "sandbox", name: `f${++n}` });
  return c;
}

/** Every host operation a step starts, with when it started (to prove none starts after a point in time). */
function recording(calls: { op: string; clusterId: string; at: number }[], factory: HostOpsFactory, override: (host: Parameters<HostOpsFactory>[0], signal?: AbortSignal) => Partial<HostOps> = () => ({})): HostOpsFactory {
  return (host, signal) => {
    const ops = { ...factory(host, signal), ...override(host, signal) } as HostOps;
    const wrapped = {} as Record<string, unknown>;
    for (const [name, fn] of Object.entries(ops)) {
      wrapped[name] = (spec: { clusterId?: string }, ...rest: unknown[]) => {
        calls.push({ op: name, clusterId: spec?.clusterId ?? "", at: Date.now() });
        return (fn as (...a: unknown[]) => unknown)(spec, ...rest);
      };
    }
    return wrapped as unknown as HostOps;
  };
}

async function eventTypes(clusterId: string) {
  return (await prisma.clusterEvent.findMany({ where: { clusterId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] })).map((e) => e.type);
}

beforeAll(async () => {
  prisma = createPrisma(testDb.url(), 12);
  team = await createTestTeam(prisma, slug);
  kube = hostClient({ id: "test-kube", connection: "LOCAL", kubeconfigEncrypted: null, clientQps: 50, clientBurst: 100 });
  hung = await startHungServer();
});

afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.stop({ timeoutMs: 5_000 })));
  await prisma.virtualCluster.updateMany({ data: { nextReconcileAt: PARKED_UNTIL, leaseOwner: null, leaseUntil: null } });
});

afterAll(async () => {
  const list = await kube.core.listNamespace({ labelSelector: `vcluster-portal.dev/team-id=${team.teamId}` }).catch(() => null);
  for (const ns of list?.items ?? []) await kube.core.deleteNamespace({ name: ns.metadata!.name! }).catch(() => {});
  await hung?.stop();
  await prisma?.$disconnect();
});

describe("a step that loses its lease in the middle of helm", () => {
  it("kills the helm process at once and makes no host call after", async () => {
    const calls: { op: string; clusterId: string; at: number }[] = [];
    // Everything on the real host, except that helm talks to an API server that never answers: helm hangs.
    const helmHangs = recording(calls, kubeHostOps, (_host, signal) => {
      const stuck = kubeClientFromConfig(hung.kubeconfig(), { id: "hung-helm", qps: 10, burst: 10 });
      const driver = new HelmDriver(signal ? stuck.withSignal(signal) : stuck);
      return { install: (spec, opts) => driver.install(spec, opts) };
    });
    let finishedAt = 0;
    startWorker({ leaseSeconds: 3, hostOps: helmHangs, probe: { stepFinished: () => void (finishedAt = Date.now()) } });
    const c = await request();
    const [pid] = await waitUntil("helm running for the cluster's install", async () => {
      if (!calls.some((x) => x.clusterId === c.id && x.op === "install")) return null;
      const pids = processesWith(process.env.HELM_BIN!, c.namespace!);
      return pids.length ? pids : null;
    }, 60_000);

    // Another worker takes the cluster over (as after an expiry): the step's next renewal finds it gone.
    const stolenAt = Date.now();
    await prisma.$executeRaw`UPDATE "VirtualCluster" SET "leaseOwner" = 'thief', "leaseToken" = "leaseToken" + 1, "leaseUntil" = (now() AT TIME ZONE 'UTC') + interval '1 hour' WHERE id = ${c.id}`;
    await waitUntil("helm process gone", async () => processesWith(process.env.HELM_BIN!, c.namespace!).length === 0, 5_000);
    // gone from /proc's command lines at once; its pid is free once Node has reaped it
    await waitUntil("helm process reaped", async () => {
      try {
        process.kill(pid!, 0);
        return false;
      } catch (e) {
        return (e as NodeJS.ErrnoException).code === "ESRCH";
      }
    }, 2_000);
    await waitUntil("the step ended", async () => finishedAt > stolenAt, 5_000);
    expect(finishedAt - stolenAt).toBeLessThan(3_000); // renewal every second + SIGTERM, not helm's own timeouts

    const mine = calls.filter((x) => x.clusterId === c.id);
    // no release can exist in a namespace that did not exist: no `helm status` before the install
    expect(mine.map((x) => x.op)).toEqual(["observe", "applyHostObjects", "install"]);
    expect(mine.filter((x) => x.at >= stolenAt)).toEqual([]);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(calls.filter((x) => x.clusterId === c.id).length).toBe(mine.length);
    const row = await prisma.virtualCluster.findUniqueOrThrow({ where: { id: c.id } });
    expect(row).toMatchObject({ leaseOwner: "thief", observedGeneration: 0, phase: "PROVISIONING" });
    expect(await eventTypes(c.id)).toEqual(["requested", "namespace-created"]);
    await prisma.virtualCluster.update({ where: { id: c.id }, data: { phase: "DELETED", desiredState: "DELETED", leaseOwner: null, leaseUntil: null } });
  });
});

describe("a host whose API server hangs", () => {
  it("fails its clusters' steps at the deadline, transiently and with backoff; the worker keeps serving other hosts", async () => {
    const local = await prisma.hostCluster.findUniqueOrThrow({ where: { name: "local" } });
    const host = await prisma.hostCluster.create({
      data: { name: `hung-${slug}`.slice(0, 60), connection: "KUBECONFIG", kubeconfigEncrypted: null, capacityCpuMillicores: 100_000, capacityMemoryMiB: 100_000, enabled: false },
    });
    await prisma.hostCluster.update({ where: { id: host.id }, data: { kubeconfigEncrypted: encryptHostKubeconfig(host.id, hung.kubeconfigYaml()) } });
    const stuck = await request();
    await prisma.virtualCluster.update({ where: { id: stuck.id }, data: { hostClusterId: host.id } });
    const fine = [await request(), await request()];
    expect(fine.every((c) => c.hostClusterId === local.id)).toBe(true);
    const calls: { op: string; clusterId: string; at: number }[] = [];
    startWorker({ concurrency: 2, hostOps: recording(calls, kubeHostOps) });

    // The clusters on the healthy host get their release installed meanwhile.
    for (const c of fine) {
      await waitUntil(`release installed for ${c.name}`, async () => (await eventTypes(c.id)).includes("release-installed"), 60_000, 200);
    }
    const row = await waitUntil("three failed steps on the hung host", async () => {
      const r = await prisma.virtualCluster.findUniqueOrThrow({ where: { id: stuck.id } });
      return r.attempts >= 3 ? r : null;
    }, 60_000, 200);
    expect(row.phase).toBe("PROVISIONING");
    expect(row.lastError).toMatch(/Kubernetes API unreachable \(ETIMEDOUT\)/);
    expect(await eventTypes(stuck.id)).toEqual(["requested"]);
    // Each attempt ended at the 2 s deadline; the waits between attempts grow (backoff), never a busy loop.
    const observes = calls.filter((x) => x.clusterId === stuck.id && x.op === "observe").map((x) => x.at);
    const gaps = observes.slice(1).map((t, i) => t - observes[i]!);
    for (const g of gaps) expect(g).toBeGreaterThanOrEqual(2_000);
    expect(gaps.length).toBeGreaterThanOrEqual(2);
    await prisma.virtualCluster.updateMany({ where: { id: { in: [stuck.id, ...fine.map((c) => c.id)] } }, data: { phase: "DELETED", desiredState: "DELETED" } });
  });
});

describe("a release left pending by an interrupted helm", () => {
  it("is repaired at once when no other claim is live, even though helm's timestamp says it just started", async () => {
    startWorker();
    const c = await request();
    await waitUntil("release installed", async () => (await eventTypes(c.id)).includes("release-installed"), 60_000, 200);
    await Promise.all(workers.splice(0).map((w) => w.stop({ timeoutMs: 5_000 })));

    // helm was cut off a moment ago (e.g. its worker was SIGKILLed); the person changed the intent since.
    await markReleasePending(kube, c.namespace!, c.releaseName!, "pending-upgrade", new Date());
    await prisma.virtualCluster.update({ where: { id: c.id }, data: { generation: { increment: 1 }, nextReconcileAt: new Date(), leaseOwner: null, leaseUntil: null } });
    const t0 = Date.now();
    startWorker();
    const row = await waitUntil("release upgraded for the new generation", async () => {
      const r = await prisma.virtualCluster.findUniqueOrThrow({ where: { id: c.id } });
      return r.observedGeneration === r.generation ? r : null;
    }, 60_000, 200);
    expect(Date.now() - t0).toBeLessThan(30_000); // not HELM_TIMEOUT_SECONDS (300 s)
    expect(row.lastError).toBeNull();
    const status = await new HelmDriver(kube).status({ namespace: c.namespace!, releaseName: c.releaseName! } as never);
    expect(status).toMatchObject({ installed: true, ready: true, helm: { status: "deployed" } });
    await prisma.virtualCluster.update({ where: { id: c.id }, data: { phase: "DELETED", desiredState: "DELETED" } });
  });
});
