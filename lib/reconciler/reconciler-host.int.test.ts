// The reconciler end to end on the real local host cluster (kube-apiserver + kwok), with the helm driver and
// the real loft-sh/vcluster chart from the local chart repository, and scripts/vcluster-emulator playing the
// vcluster control plane (it starts a real kube-apiserver per ready control plane and writes Secret vc-<release>
// as vCluster does).
import { execFileSync } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { CoreV1Api, KubeConfig, PatchStrategy, setHeaderOptions } from "@kubernetes/client-node";
import { stringify, parse } from "yaml";
import { createPrisma } from "@/lib/db/client";
import { deleteCluster } from "@/lib/domain/delete-cluster";
import { requestCluster } from "@/lib/domain/request-cluster";
import { retryCluster } from "@/lib/domain/retry-cluster";
import { sleepCluster } from "@/lib/domain/sleep-cluster";
import { wakeCluster } from "@/lib/domain/wake-cluster";
import { encryptHostKubeconfig } from "@/lib/crypto/secret-box";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { hostClient, type KubeClient } from "@/lib/kube/client";
import { orNull } from "@/lib/kube/errors";
import { readKubeconfig } from "@/lib/kube/vcluster-kubeconfig";
import { binDir } from "@/scripts/k8s/locations";
import { startEmulator, type Emulator } from "@/scripts/vcluster-emulator/emulator";
import { testChartRepo, throughRoute } from "@/scripts/vcluster-emulator/testing";
import { approveRequest } from "@/lib/domain/approve-request";
import { createTemplateVersion } from "@/lib/domain/create-template-version";
import { hostEnforceLevel } from "@/lib/kube/host-objects";
import { MANAGED_BY_POD_LABEL, PAUSED_ANNOTATION, PAUSED_DATE_ANNOTATION, PAUSED_REPLICAS_ANNOTATION } from "@/lib/kube/vcluster-control-plane";
import { seedTemplates } from "@/prisma/seed-data";
import { testKubeconfig, testNamespacePrefix, useTestDatabase } from "@/scripts/testenv/per-file";
import { kubeHostOps } from "./host-ops";
import { orphanSweep } from "./orphan-sweep";
import { driftSweep, expirySweep } from "./sweeps";
import { CLUSTER_SPEC_INCLUDE, specFromRow } from "@/lib/domain/spec-from-row";
import { ConcurrencyProbe, createTestTeam, waitForPhase, waitUntil } from "@/scripts/testenv/fake-host";
import { Worker, type WorkerOptions } from "./worker";

// lib/env.ts reads these once, on first use: set them before anything calls env().
process.env.KUBECONFIG = testKubeconfig();
process.env.HELM_BIN = path.join(binDir(), "helm");
process.env.VCLUSTER_CHART_REPO = testChartRepo();
process.env.HELM_TIMEOUT_SECONDS = "20";

const testDb = useTestDatabase({ seeded: true });
const slug = testNamespacePrefix().slice(0, 22).replace(/-+$/, "");
let prisma: PrismaClient;
let team: Awaited<ReturnType<typeof createTestTeam>>;
let emulator: Emulator;
let kube: KubeClient;
const workers: Worker[] = [];
let n = 0;

const STEP = { readyPollMs: 500, deletePollMs: 1_000, backoff: { baseMs: 300, capMs: 2_000 } };

function startWorker(over: Partial<WorkerOptions> = {}): Worker {
  const w = new Worker({ db: prisma, databaseUrl: testDb.url(), concurrency: 4, leaseSeconds: 15, pollMs: 1_000, sweeps: false, step: STEP, ...over });
  workers.push(w);
  void w.start();
  return w;
}

async function request(template = "sandbox") {
  return requestCluster(team.member, { teamId: team.teamId, templateSlug: template, name: `c${++n}` });
}

function helmReleases(namespace: string): string[] {
  const out = execFileSync(path.join(binDir(), "helm"), ["list", "--all", "-q", "--namespace", namespace, "--kubeconfig", testKubeconfig()], { encoding: "utf8" });
  return out.split("\n").filter(Boolean);
}

async function namespacesOfTeam(): Promise<string[]> {
  const list = await kube.core.listNamespace({ labelSelector: `vcluster-portal.dev/team-id=${team.teamId}` });
  return list.items.filter((ns) => !ns.metadata?.deletionTimestamp).map((ns) => ns.metadata!.name!);
}

/**
 * Cleanup between tests (deletion through the reconciler is tested on its own): remove the namespaces
 * directly, so the emulator stops their API servers, and retire the rows.
 */
async function dropFromHost(clusters: { id: string; namespace: string | null }[]) {
  for (const c of clusters) await kube.core.deleteNamespace({ name: c.namespace! }).catch(() => {});
  await prisma.virtualCluster.updateMany({ where: { id: { in: clusters.map((c) => c.id) } }, data: { phase: "DELETED", desiredState: "DELETED" } });
}

async function eventTypes(clusterId: string) {
  return (await prisma.clusterEvent.findMany({ where: { clusterId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] })).map((e) => e.type);
}

beforeAll(async () => {
  prisma = createPrisma(testDb.url(), 16);
  team = await createTestTeam(prisma, slug);
  kube = hostClient({ id: "test-kube", connection: "LOCAL", kubeconfigEncrypted: null, clientQps: 50, clientBurst: 100 });
  emulator = await startEmulator({ hostKubeconfig: testKubeconfig(), namespacePrefix: `vc-${slug}-`, pollMs: 300, log: () => {} });
  // The public address vCluster exports (exportKubeConfig.server); the emulator is the ingress behind it.
  await prisma.hostCluster.update({ where: { name: "local" }, data: { endpointPattern: "https://{release}.{namespace}.vc.example.test" } });
});

afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.stop({ timeoutMs: 5_000 })));
});

afterAll(async () => {
  // Leave the shared host clean: delete every namespace of this file's team.
  for (const ns of (await namespacesOfTeam().catch(() => [])) ?? []) await kube.core.deleteNamespace({ name: ns }).catch(() => {});
  await emulator?.stop();
  await prisma?.$disconnect();
});

describe("on the real host cluster", () => {
  it("provisions a Sandbox request to READY with exactly the expected host objects", async () => {
    startWorker();
    const t0 = Date.now();
    const c = await request();
    const ready = await waitForPhase(prisma, c.id, "READY", 90_000);
    const seconds = (Date.now() - t0) / 1000;
    console.info(`[timing] Sandbox request→READY on the local host: ${seconds.toFixed(1)} s (readyAt−createdAt ${((ready.readyAt!.getTime() - ready.createdAt.getTime()) / 1000).toFixed(1)} s)`);
    const ns = c.namespace!;
    const version = await prisma.templateVersion.findUniqueOrThrow({ where: { id: c.templateVersionId } });

    expect(await namespacesOfTeam()).toEqual([ns]);
    const namespace = await kube.core.readNamespace({ name: ns });
    expect(namespace.metadata?.labels).toMatchObject({
      "app.kubernetes.io/managed-by": "vcluster-portal",
      "vcluster-portal.dev/team-id": team.teamId,
      "vcluster-portal.dev/cluster-id": c.id,
      // what the real control plane passes; the template's level is enforced inside the virtual cluster
      "pod-security.kubernetes.io/enforce": hostEnforceLevel(version.podSecurityStandard as "baseline"),
    });
    // Exactly one quota and one limit range, sized from the template (the chart's own are disabled).
    const quotas = (await kube.core.listNamespacedResourceQuota({ namespace: ns })).items.map((q) => [q.metadata!.name, q.spec?.hard]);
    expect(quotas).toEqual([["vcluster-portal-quota", { "requests.cpu": "1", "requests.memory": "2Gi" }]]);
    expect((await kube.core.listNamespacedLimitRange({ namespace: ns })).items.map((l) => l.metadata!.name)).toEqual(["vcluster-portal-limits"]);
    expect((await kube.net.listNamespacedNetworkPolicy({ namespace: ns })).items.map((p) => p.metadata!.name).sort()).toEqual(["isolate-vcluster", "vcluster-api-ingress"]);
    expect(helmReleases(ns)).toEqual([c.releaseName]);
    const sts = await kube.apps.readNamespacedStatefulSet({ name: c.releaseName!, namespace: ns });
    expect(sts.status?.readyReplicas).toBe(1);
    expect(sts.spec?.template.spec?.containers[0]?.env).toEqual(
      expect.arrayContaining([
        { name: "VCLUSTER_PHYSICAL_CLIENT_QPS", value: "20" },
        { name: "VCLUSTER_PHYSICAL_CLIENT_BURST", value: "40" },
      ]),
    );
    expect(await orNull(kube.core.readNamespacedSecret({ name: `vc-${c.releaseName}`, namespace: ns }))).not.toBeNull();

    expect(await eventTypes(c.id)).toEqual(["requested", "namespace-created", "release-installed", "ready"]);
    expect(ready).toMatchObject({ attempts: 0, lastError: null, observedGeneration: ready.generation });

    // The kubeconfig the portal hands out names the exported address and, through the host's route to it
    // (TLS verifying that name), reaches the virtual cluster's own API server.
    const row = await prisma.virtualCluster.findUniqueOrThrow({ where: { id: c.id }, include: CLUSTER_SPEC_INCLUDE });
    const yaml = await readKubeconfig(kube, specFromRow(row), null);
    const exported = `https://${c.releaseName}.${ns}.vc.example.test`;
    expect((parse(yaml) as { clusters: { cluster: { server: string } }[] }).clusters[0]!.cluster.server).toBe(exported);
    const kc = throughRoute(yaml, emulator, ns, c.releaseName!);
    expect(kc.getCurrentCluster()?.tlsServerName).toBe(new URL(exported).hostname);
    const inside = await kc.makeApiClient(CoreV1Api).listNamespace();
    expect(inside.items.map((i) => i.metadata?.name)).toContain("default");
  });

  it("sleeps (no workload pod survives), wakes and deletes end to end; deletion removes release and namespace before DELETED", async () => {
    startWorker();
    const c = await request();
    await waitForPhase(prisma, c.id, "READY", 90_000);
    const ns = c.namespace!;

    // Pods the syncer would have created on the host, running on kwok nodes.
    const workloads = await startWorkloadPods(ns, c.releaseName!, 3);
    await sleepCluster(team.member, { clusterId: c.id });
    await waitForPhase(prisma, c.id, "SLEEPING", 60_000);
    let sts = await kube.apps.readNamespacedStatefulSet({ name: c.releaseName!, namespace: ns });
    expect(sts.spec?.replicas).toBe(0);
    expect(sts.metadata?.annotations?.["loft.sh/paused"]).toBe("true");
    const left = await kube.core.listNamespacedPod({ namespace: ns, labelSelector: `${MANAGED_BY_POD_LABEL}=${c.releaseName}` });
    expect(left.items.filter((p) => !p.metadata?.deletionTimestamp).map((p) => p.metadata?.name)).toEqual([]);
    expect(workloads).toHaveLength(3);

    const t0 = Date.now();
    await wakeCluster(team.member, { clusterId: c.id });
    await waitForPhase(prisma, c.id, "READY", 60_000);
    console.info(`[timing] wake→READY: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    sts = await kube.apps.readNamespacedStatefulSet({ name: c.releaseName!, namespace: ns });
    expect(sts.spec?.replicas).toBe(1);
    expect(sts.metadata?.annotations?.["loft.sh/paused"]).toBeUndefined();

    const t1 = Date.now();
    await deleteCluster(team.member, { clusterId: c.id });
    const deleted = await waitForPhase(prisma, c.id, "DELETED", 90_000);
    console.info(`[timing] delete→DELETED: ${((Date.now() - t1) / 1000).toFixed(1)} s`);
    expect(deleted.deletedAt).not.toBeNull();
    expect(await orNull(kube.core.readNamespace({ name: ns }))).toBeNull();
    const live = await prisma.virtualCluster.count({ where: { id: c.id, phase: { in: ["PROVISIONING", "READY", "SLEEPING", "DELETING", "FAILED", "PENDING_APPROVAL"] } } });
    expect(live).toBe(0); // no longer counted against the team's quota
  });

  it("repairs drift: deleting the namespace behind the portal's back gets it recreated", async () => {
    startWorker();
    const c = await request();
    await waitForPhase(prisma, c.id, "READY", 90_000);
    const before = await kube.core.readNamespace({ name: c.namespace! });
    await kube.core.deleteNamespace({ name: c.namespace! });
    await waitUntil("the namespace to be gone", async () => (await orNull(kube.core.readNamespace({ name: c.namespace! }))) === null, 60_000, 500);

    const r = await driftSweep(prisma, kubeHostOps);
    expect(r.drifted).toBeGreaterThanOrEqual(1);
    await waitForPhase(prisma, c.id, "READY", 90_000);
    const after = await kube.core.readNamespace({ name: c.namespace! });
    expect(after.metadata?.uid).not.toBe(before.metadata?.uid);
    expect(helmReleases(c.namespace!)).toEqual([c.releaseName]);
    const types = await eventTypes(c.id);
    expect(types.slice(-4)).toEqual(["drift-detected", "namespace-created", "release-installed", "resumed"]);
    await dropFromHost([c]);
  });

  it("expires a cluster past its lifetime: removed from the host, EXPIRED", async () => {
    startWorker();
    const c = await request();
    await waitForPhase(prisma, c.id, "READY", 90_000);
    await prisma.virtualCluster.update({ where: { id: c.id }, data: { expiresAt: new Date(Date.now() - 1_000) } });
    expect((await expirySweep(prisma)).deleted).toBe(1);
    await waitForPhase(prisma, c.id, "EXPIRED", 90_000);
    expect(await orNull(kube.core.readNamespace({ name: c.namespace! }))).toBeNull();
    expect(await prisma.auditEvent.count({ where: { targetId: c.id, action: "cluster.expire", actorEmail: "system" } })).toBe(1);
  });
});

describe("tenant isolation on the host", () => {
  it("the colliding pair (payments + eu-dev, payments-eu + dev) gets two namespaces; deleting one leaves the other untouched", async () => {
    startWorker();
    const other = await createTestTeam(prisma, `${slug}-eu`);
    const a = await requestCluster(team.member, { teamId: team.teamId, templateSlug: "sandbox", name: "eu-dev" });
    const b = await requestCluster(other.member, { teamId: other.teamId, templateSlug: "sandbox", name: "dev" });
    // The readable parts are the same; the suffix makes each namespace its cluster's own.
    expect(a.namespace!.slice(0, -6)).toBe(b.namespace!.slice(0, -6));
    expect(a.namespace).not.toBe(b.namespace);
    await Promise.all([waitForPhase(prisma, a.id, "READY", 120_000), waitForPhase(prisma, b.id, "READY", 120_000)]);
    for (const c of [a, b]) {
      const ns = await kube.core.readNamespace({ name: c.namespace! });
      expect(ns.metadata?.labels?.["vcluster-portal.dev/cluster-id"]).toBe(c.id);
    }
    const bBefore = await kube.apps.readNamespacedStatefulSet({ name: b.releaseName!, namespace: b.namespace! });

    await deleteCluster(team.member, { clusterId: a.id });
    await waitForPhase(prisma, a.id, "DELETED", 120_000);
    expect(await orNull(kube.core.readNamespace({ name: a.namespace! }))).toBeNull();
    const bAfter = await kube.apps.readNamespacedStatefulSet({ name: b.releaseName!, namespace: b.namespace! });
    expect(bAfter.metadata?.uid).toBe(bBefore.metadata?.uid);
    expect(bAfter.status?.readyReplicas).toBe(1);
    expect((await prisma.virtualCluster.findUniqueOrThrow({ where: { id: b.id } })).phase).toBe("READY");
    expect((await driftSweep(prisma, kubeHostOps)).drifted).toBe(0);
    await dropFromHost([b]);
  });

  it("finds a portal namespace whose cluster has no live row, reports it, and removes it after the grace period", async () => {
    startWorker();
    const c = await request();
    const keep = await request();
    await Promise.all([waitForPhase(prisma, c.id, "READY", 120_000), waitForPhase(prisma, keep.id, "READY", 120_000)]);
    await Promise.all(workers.splice(0).map((w) => w.stop({ timeoutMs: 5_000 })));
    // The row ends without its namespace (a crash between the two, a restored backup, a hand edit).
    await prisma.virtualCluster.update({ where: { id: c.id }, data: { phase: "DELETED", desiredState: "DELETED" } });
    // Only these two: earlier tests of this file leave namespaces of their own on the shared host.
    const mine = (ns: string) => ns === c.namespace || ns === keep.namespace;
    const t0 = new Date();
    expect(await orphanSweep(prisma, kubeHostOps, { graceMs: 60_000, now: t0, only: mine })).toEqual({ found: 1, removed: 0, cleared: 0 });
    const marked = await kube.core.readNamespace({ name: c.namespace! });
    expect(marked.metadata?.annotations?.["vcluster-portal.dev/orphaned-since"]).toBe(t0.toISOString());
    expect(await prisma.auditEvent.count({ where: { action: "host.orphan.detected", actorEmail: "system" } })).toBe(1);
    // Within the grace period nothing is removed, however often the sweep runs.
    expect(await orphanSweep(prisma, kubeHostOps, { graceMs: 60_000, now: new Date(t0.getTime() + 30_000), only: mine })).toEqual({ found: 0, removed: 0, cleared: 0 });
    expect(await orphanSweep(prisma, kubeHostOps, { graceMs: 60_000, now: new Date(t0.getTime() + 61_000), only: mine })).toEqual({ found: 0, removed: 1, cleared: 0 });
    await waitUntil("the orphan namespace gone", async () => (await orNull(kube.core.readNamespace({ name: c.namespace! }))) === null, 90_000, 500);
    expect(await prisma.auditEvent.count({ where: { action: "host.orphan.removed" } })).toBe(1);
    // The live cluster beside it was never touched.
    expect((await kube.core.readNamespace({ name: keep.namespace! })).metadata?.annotations?.["vcluster-portal.dev/orphaned-since"]).toBeUndefined();
    await dropFromHost([keep]);
  });

  it("two live clusters can never hold one namespace on a host (database constraint)", async () => {
    const c = await request();
    const d = await request();
    const err = await prisma.virtualCluster.update({ where: { id: d.id }, data: { namespace: c.namespace } }).catch((e: unknown) => e as Error);
    expect((err as { code?: string }).code).toBe("P2002");
    await prisma.virtualCluster.updateMany({ where: { id: { in: [c.id, d.id] } }, data: { phase: "DELETED", desiredState: "DELETED" } });
  });
});

describe("the vcluster CLI and the portal", () => {
  it("follows `vcluster pause` and `vcluster resume` within one drift sweep, without undoing them", async () => {
    startWorker();
    const c = await request();
    await waitForPhase(prisma, c.id, "READY", 90_000);
    const ns = c.namespace!;
    await startWorkloadPods(ns, c.releaseName!, 1);

    // What `vcluster pause` writes (pkg/lifecycle: merge patch of annotations + replicas, then delete the pods).
    await cliPause(ns, c.releaseName!);
    expect((await driftSweep(prisma, kubeHostOps)).followed).toBe(1);
    const slept = await waitForPhase(prisma, c.id, "SLEEPING", 60_000);
    expect(slept.desiredState).toBe("SLEEPING");
    const paused = await kube.apps.readNamespacedStatefulSet({ name: c.releaseName!, namespace: ns });
    expect(paused.spec?.replicas).toBe(0); // not woken up again
    expect((await eventTypes(c.id)).slice(-2)).toEqual(["sleep-requested", "slept"]);
    expect(await prisma.auditEvent.count({ where: { targetId: c.id, action: "cluster.sleep", actorEmail: "system" } })).toBe(1);

    // What `vcluster resume` writes: the saved replica count back, the annotations removed.
    await cliResume(ns, c.releaseName!);
    expect((await driftSweep(prisma, kubeHostOps)).followed).toBe(1);
    const woken = await waitForPhase(prisma, c.id, "READY", 90_000);
    expect(woken.desiredState).toBe("RUNNING");
    expect((await kube.apps.readNamespacedStatefulSet({ name: c.releaseName!, namespace: ns })).spec?.replicas).toBe(1);
    expect((await driftSweep(prisma, kubeHostOps)).followed).toBe(0); // settled: nothing more to follow
    await dropFromHost([c]);
  });

  it("leaves a control plane alone while `vcluster restore` holds it (loft.sh/restoring)", async () => {
    const probe = new ConcurrencyProbe();
    startWorker({ probe });
    const c = await request();
    await waitForPhase(prisma, c.id, "READY", 90_000);
    const ns = c.namespace!;
    await kube.apps.patchNamespacedStatefulSet(
      { name: c.releaseName!, namespace: ns, body: { metadata: { annotations: { "loft.sh/restoring": "true", [PAUSED_REPLICAS_ANNOTATION]: "1" } }, spec: { replicas: 0 } } },
      setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
    );
    await sleepCluster(team.member, { clusterId: c.id });
    const before = probe.steps;
    await waitUntil("three more reconcile steps", async () => probe.steps >= before + 3, 30_000, 200);
    const sts = await kube.apps.readNamespacedStatefulSet({ name: c.releaseName!, namespace: ns });
    expect(sts.metadata?.annotations?.[PAUSED_ANNOTATION]).toBeUndefined(); // not paused over the restore
    expect((await prisma.virtualCluster.findUniqueOrThrow({ where: { id: c.id } })).phase).toBe("READY");
    await dropFromHost([c]);
  });
});

describe("every seeded template on both pinned chart versions", () => {
  it("reaches READY from a real request, approved where the template asks for it", async () => {
    startWorker({ concurrency: 6 });
    const requested = [] as { template: string; chart: string; id: string }[];
    for (const t of seedTemplates) {
      for (const chart of ["0.30.0", "0.36.1"]) {
        {
          // An admin publishes the template on this chart line, through the use case (schema-checked).
          const k8s = chart === "0.30.0" ? "1.34" : "1.36";
          await createTemplateVersion(team.admin, {
            templateSlug: t.slug,
            description: `on chart ${chart}`,
            kubernetesVersion: k8s,
            chartVersion: chart,
            valuesYaml: t.version.valuesYaml,
            parametersJson: JSON.stringify(t.version.parameters.map((p) => (p.name === "kubernetesVersion" && p.type === "enum" ? { ...p, options: [k8s], default: k8s } : p))),
            cpuMillicores: t.version.cpuMillicores,
            memoryMiB: t.version.memoryMiB,
            defaultTtlHours: t.version.defaultTtlHours,
            maxTtlHours: t.version.maxTtlHours,
            approval: t.version.approval,
            expiryAction: t.version.expiryAction,
            podSecurityStandard: t.version.podSecurityStandard,
          });
        }
        const c = await request(t.slug);
        if (c.phase === "PENDING_APPROVAL") await approveRequest(team.admin, { clusterId: c.id });
        requested.push({ template: t.slug, chart, id: c.id });
      }
    }
    for (const r of requested) {
      const ready = await waitForPhase(prisma, r.id, "READY", 180_000);
      const row = await prisma.virtualCluster.findUniqueOrThrow({ where: { id: r.id }, include: { templateVersion: true } });
      expect(row.templateVersion.chartVersion).toBe(r.chart);
      const sts = await orNull(kube.apps.readNamespacedStatefulSet({ name: ready.releaseName!, namespace: ready.namespace! }));
      const cp = sts ?? (await kube.apps.readNamespacedDeployment({ name: ready.releaseName!, namespace: ready.namespace! }));
      expect(cp.metadata?.labels).toMatchObject({ app: "vcluster", release: ready.releaseName, chart: `vcluster-${r.chart}` });
      expect(cp.spec?.template.spec?.containers.find((x) => x.name === "syncer")?.image).toBe(`ghcr.io/loft-sh/vcluster-oss:${r.chart}`);
      expect((await kube.core.listNamespacedResourceQuota({ namespace: ready.namespace! })).items).toHaveLength(1);
      expect((await kube.core.listNamespacedLimitRange({ namespace: ready.namespace! })).items).toHaveLength(1);
    }
    const rows = await prisma.virtualCluster.findMany({ where: { id: { in: requested.map((r) => r.id) } } });
    await dropFromHost(rows);
  });
});

describe("faults on the real host cluster", () => {
  it("resumes after the worker dies at each step of provisioning: one namespace and one release each", async () => {
    // Clusters run in parallel; cluster #k "kills its worker" at its k-th checkpoint (the step ends there,
    // leaving the lease held, nothing written). Then that worker is killed for good and a new one takes over.
    const K = 6;
    const clusters = [] as Awaited<ReturnType<typeof request>>[];
    for (let k = 1; k <= K; k++) clusters.push(await request());
    const crashAt = new Map(clusters.map((c, i) => [c.id, i + 1]));
    const seen = new Map<string, number>();
    const crashed = new Set<string>();
    const doomed = startWorker({
      concurrency: K,
      leaseSeconds: 2,
      probe: {
        at: (name, id) => {
          const count = (seen.get(id) ?? 0) + 1;
          seen.set(id, count);
          if (count === crashAt.get(id)) {
            crashed.add(id);
            return "crash";
          }
        },
      },
    });
    await waitUntil("every cluster to crash", async () => crashed.size === K, 120_000, 200);
    await doomed.kill();
    startWorker({ concurrency: K, leaseSeconds: 15 });
    for (const c of clusters) {
      await waitForPhase(prisma, c.id, "READY", 120_000);
      expect(helmReleases(c.namespace!)).toEqual([c.releaseName]);
      const types = await eventTypes(c.id);
      for (const t of ["namespace-created", "release-installed", "ready"]) expect(types.filter((x) => x === t)).toHaveLength(1);
    }
    const mine = await namespacesOfTeam();
    for (const c of clusters) expect(mine.filter((ns) => ns === c.namespace)).toHaveLength(1);
    await dropFromHost(clusters);
  });

  it("waits while the host's API server is unreachable and resumes when it is back", async () => {
    // A TCP proxy in front of the real API server, and a host whose kubeconfig points at it.
    const real = new KubeConfig();
    real.loadFromFile(testKubeconfig());
    const target = new URL(real.getCurrentCluster()!.server);
    const proxy = new FlakyProxy(target.hostname, Number(target.port));
    const port = await proxy.listen();
    const doc = parse(real.exportConfig()) as { clusters: { cluster: { server: string } }[] };
    for (const cl of doc.clusters) cl.cluster.server = `https://127.0.0.1:${port}`;
    const flaky = await prisma.hostCluster.create({
      data: { id: `flaky-${slug}`, name: `flaky-${slug}`, connection: "KUBECONFIG", kubeconfigEncrypted: encryptHostKubeconfig(`flaky-${slug}`, stringify(doc)), capacityCpuMillicores: 32000, capacityMemoryMiB: 131072, enabled: false },
    });
    try {
      const c = await request();
      await prisma.virtualCluster.update({ where: { id: c.id }, data: { hostClusterId: flaky.id } });
      proxy.down();
      startWorker();
      const waiting = await waitUntil(
        "failed attempts while the API server is down",
        async () => {
          const r = await prisma.virtualCluster.findUniqueOrThrow({ where: { id: c.id } });
          return r.attempts >= 3 ? r : null;
        },
        60_000,
        200,
      );
      expect(waiting.phase).toBe("PROVISIONING");
      expect(waiting.lastError).toMatch(/unreachable|ECONNREFUSED|connection refused/i);
      proxy.up();
      const ready = await waitForPhase(prisma, c.id, "READY", 90_000);
      expect(ready).toMatchObject({ attempts: 0, lastError: null });
      expect(helmReleases(c.namespace!)).toEqual([c.releaseName]);

      // Down again in the middle of a deletion: it waits, then finishes.
      proxy.down();
      await deleteCluster(team.member, { clusterId: c.id });
      await waitUntil("a failed deletion attempt", async () => (await prisma.virtualCluster.findUniqueOrThrow({ where: { id: c.id } })).attempts >= 2, 60_000, 200);
      expect((await prisma.virtualCluster.findUniqueOrThrow({ where: { id: c.id } })).phase).toBe("DELETING");
      proxy.up();
      await waitForPhase(prisma, c.id, "DELETED", 90_000);
    } finally {
      await proxy.close();
    }
  });

  it("two workers on one queue never run a step for the same cluster concurrently", async () => {
    const probe = new ConcurrencyProbe();
    startWorker({ concurrency: 2, probe, pollMs: 200 });
    startWorker({ concurrency: 2, probe, pollMs: 200 });
    const cs = [await request(), await request(), await request()];
    for (const c of cs) await waitForPhase(prisma, c.id, "READY", 120_000);
    expect(probe.maxPerCluster).toBe(1);
    expect(probe.steps).toBeGreaterThan(cs.length);
    for (const c of cs) expect(helmReleases(c.namespace!)).toEqual([c.releaseName]);
    await dropFromHost(cs);
  });

  it("a template whose values break the chart ends FAILED with helm's error, and can be retried", async () => {
    const sandbox = await prisma.template.findUniqueOrThrow({ where: { slug: "sandbox" }, include: { versions: true } });
    const broken = await prisma.template.create({
      data: {
        slug: `broken-${slug}`,
        name: "Broken",
        description: "values the chart cannot render",
        versions: {
          create: {
            version: 1,
            ...pick(sandbox.versions[0]!),
            // replicas must be an integer (written past the template check, as an old or hand-made row could be).
            valuesYaml: "controlPlane:\n  statefulSet:\n    highAvailability:\n      replicas: many\n",
          },
        },
      },
      include: { versions: true },
    });
    startWorker();
    const c = await request(broken.slug);
    const failed = await waitForPhase(prisma, c.id, "FAILED", 90_000);
    expect(failed.lastError).toMatch(/^Helm: /);
    // the real chart's values.schema.json refuses it before anything is rendered
    expect(failed.lastError).toMatch(/values don't meet the specifications of the schema.*replicas/);
    console.info(`[lastError] ${failed.lastError}`);

    // Retrying the same values fails the same way (helm runs again)…
    await retryCluster(team.member, { clusterId: c.id });
    const again = await waitForPhase(prisma, c.id, "FAILED", 90_000);
    expect((await eventTypes(c.id)).filter((t) => t === "failed")).toHaveLength(2);
    expect(again.lastError).toMatch(/^Helm: values don't meet the specifications of the schema.*replicas/);
    console.info(`[lastError after retry] ${again.lastError}`);
    // …and once the values are fixed (test shortcut for "an admin publishes a fixed version"), it recovers.
    await prisma.templateVersion.update({ where: { id: broken.versions[0]!.id }, data: { valuesYaml: "" } });
    await retryCluster(team.member, { clusterId: c.id });
    await waitForPhase(prisma, c.id, "READY", 90_000);
    expect(helmReleases(c.namespace!)).toEqual([c.releaseName]);
    await dropFromHost([c]);
  });
});

/** Pods labelled as the syncer labels what it creates, scheduled on the kwok nodes; resolves once all run. */
async function startWorkloadPods(namespace: string, release: string, count: number): Promise<string[]> {
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    const name = `web-${i}-x-default-x-${release}`.slice(0, 63);
    await kube.core.createNamespacedPod({
      namespace,
      body: {
        metadata: { name, labels: { [MANAGED_BY_POD_LABEL]: release } },
        spec: { terminationGracePeriodSeconds: 1, containers: [{ name: "web", image: "registry.k8s.io/pause:3.10" }] },
      },
    });
    names.push(name);
  }
  await waitUntil("workload pods running", async () => {
    const pods = await kube.core.listNamespacedPod({ namespace, labelSelector: `${MANAGED_BY_POD_LABEL}=${release}` });
    return pods.items.filter((p) => p.status?.phase === "Running").length === count;
  }, 60_000, 300);
  return names;
}

async function cliPause(namespace: string, release: string) {
  const sts = await kube.apps.readNamespacedStatefulSet({ name: release, namespace });
  await kube.apps.patchNamespacedStatefulSet(
    {
      name: release,
      namespace,
      body: {
        metadata: { annotations: { [PAUSED_ANNOTATION]: "true", [PAUSED_REPLICAS_ANNOTATION]: String(sts.spec?.replicas ?? 1), [PAUSED_DATE_ANNOTATION]: new Date().toISOString() } },
        spec: { replicas: 0 },
      },
    },
    setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
  );
  await waitUntil("control plane scaled down", async () => ((await kube.apps.readNamespacedStatefulSet({ name: release, namespace })).status?.replicas ?? 0) === 0, 60_000, 300);
  await kube.core.deleteCollectionNamespacedPod({ namespace, labelSelector: `${MANAGED_BY_POD_LABEL}=${release}` });
}

async function cliResume(namespace: string, release: string) {
  const sts = await kube.apps.readNamespacedStatefulSet({ name: release, namespace });
  const replicas = Number(sts.metadata?.annotations?.[PAUSED_REPLICAS_ANNOTATION] ?? "1");
  await kube.apps.patchNamespacedStatefulSet(
    { name: release, namespace, body: { metadata: { annotations: { [PAUSED_ANNOTATION]: null, [PAUSED_REPLICAS_ANNOTATION]: null, [PAUSED_DATE_ANNOTATION]: null } }, spec: { replicas } } },
    setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
  );
}

function pick(v: { kubernetesVersion: string; chartVersion: string; cpuMillicores: number; memoryMiB: number; defaultTtlHours: number; maxTtlHours: number; parameters: unknown }) {
  return {
    kubernetesVersion: v.kubernetesVersion,
    chartVersion: v.chartVersion,
    cpuMillicores: v.cpuMillicores,
    memoryMiB: v.memoryMiB,
    defaultTtlHours: v.defaultTtlHours,
    maxTtlHours: v.maxTtlHours,
    parameters: v.parameters as object,
  };
}

/** A TCP proxy that can refuse connections (down) and accept them again (up) on the same port. */
class FlakyProxy {
  private server: net.Server | null = null;
  private sockets = new Set<net.Socket>();
  private port = 0;
  constructor(
    private readonly host: string,
    private readonly targetPort: number,
  ) {}

  async listen(port = 0): Promise<number> {
    const server = net.createServer((client) => {
      const upstream = net.connect(this.targetPort, this.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on("close", () => this.sockets.delete(s));
        s.on("error", () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", () => resolve()));
    this.port = (server.address() as net.AddressInfo).port;
    return this.port;
  }

  down() {
    const s = this.server;
    this.server = null;
    s?.close();
    for (const sock of this.sockets) sock.destroy();
  }

  up() {
    void this.listen(this.port);
  }

  async close() {
    this.down();
  }
}
