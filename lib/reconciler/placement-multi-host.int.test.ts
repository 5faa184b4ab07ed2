// Placement across several host clusters, end to end: two real local host clusters (`test` and a second one,
// `test-b`, both kube-apiserver + kwok), each registered as a HostCluster with an encrypted kubeconfig, the
// worker with the helm driver and the real vcluster chart, and one scripts/vcluster-emulator per host playing the
// vcluster control plane. Issue: "a template can restrict to host labels; choose the enabled host with the
// most free capacity".
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { encryptHostKubeconfig } from "@/lib/crypto/secret-box";
import { createPrisma } from "@/lib/db/client";
import { approveRequest } from "@/lib/domain/approve-request";
import { deleteCluster } from "@/lib/domain/delete-cluster";
import { noRoomMessage } from "@/lib/domain/place-cluster";
import { requestCluster } from "@/lib/domain/request-cluster";
import type { HostCluster, PrismaClient } from "@/lib/generated/prisma/client";
import { hostClient, type KubeClient } from "@/lib/kube/client";
import { orNull } from "@/lib/kube/errors";
import { binDir } from "@/scripts/k8s/locations";
import { upSecondHost, type SecondHost } from "@/scripts/testenv/second-host";
import { testKubeconfig, testNamespacePrefix, useTestDatabase } from "@/scripts/testenv/per-file";
import { startEmulator, type Emulator } from "@/scripts/vcluster-emulator/emulator";
import { testChartRepo } from "@/scripts/vcluster-emulator/testing";
import { createTestTeam, waitForPhase } from "@/scripts/testenv/fake-host";
import { Worker } from "./worker";

// lib/env.ts reads these once, on first use: set them before anything calls env().
// KUBECONFIG only serves the seeded LOCAL host, which this file disables; A and B connect via stored kubeconfigs.
process.env.KUBECONFIG = testKubeconfig();
process.env.HELM_BIN = path.join(binDir(), "helm");
process.env.VCLUSTER_CHART_REPO = testChartRepo();
process.env.HELM_TIMEOUT_SECONDS = "20";

const testDb = useTestDatabase({ seeded: true });
const slug = testNamespacePrefix().slice(0, 22).replace(/-+$/, "");

// Sandbox (small) needs 1000m / 2048 MiB. Placement scores a host by min(free CPU, free memory) share after
// placing, so with these capacities an empty A (5000/6000 = 0.83) beats an empty B (3000/4000 = 0.75), and
// once A holds one Sandbox (4000/6000 = 0.67) B wins.
const CAPACITY_A = { capacityCpuMillicores: 6000, capacityMemoryMiB: 12288, maxClusters: 10 };
const CAPACITY_B = { capacityCpuMillicores: 4000, capacityMemoryMiB: 8192, maxClusters: 10 };
// Requests below use the template's smallest size: no advice to pick a smaller one.
const UNAVAILABLE = noRoomMessage({ anyHostEnabled: true, smallerSizeOffered: false });
const ALL_DISABLED = noRoomMessage({ anyHostEnabled: false, smallerSizeOffered: false });

let prisma: PrismaClient;
let team: Awaited<ReturnType<typeof createTestTeam>>;
let second: SecondHost | undefined;
let hostA: HostCluster;
let hostB: HostCluster;
let kubeA: KubeClient;
let kubeB: KubeClient;
const emulators: Emulator[] = [];
const workers: Worker[] = [];
let n = 0;

function startWorker(): Worker {
  const w = new Worker({
    db: prisma,
    databaseUrl: testDb.url(),
    concurrency: 4,
    leaseSeconds: 15,
    pollMs: 1_000,
    sweeps: false,
    step: { readyPollMs: 500, deletePollMs: 1_000, backoff: { baseMs: 300, capMs: 2_000 } },
  });
  workers.push(w);
  void w.start();
  return w;
}

async function stopWorkers() {
  await Promise.all(workers.splice(0).map((w) => w.stop({ timeoutMs: 5_000 })));
}

async function request(templateSlug = "sandbox") {
  return requestCluster(team.member, { teamId: team.teamId, templateSlug, name: `p${++n}` });
}

async function setSelector(selector: Record<string, string>, templateSlug = "sandbox") {
  await prisma.template.update({ where: { slug: templateSlug }, data: { hostSelector: selector } });
}

const hostFile = (h: HostCluster) => (h.id === hostA.id ? testKubeconfig() : second!.kubeconfig);
const kubeOf = (h: HostCluster) => (h.id === hostA.id ? kubeA : kubeB);

function helmReleases(h: HostCluster, namespace: string): string[] {
  const out = execFileSync(path.join(binDir(), "helm"), ["list", "--all", "-q", "--namespace", namespace, "--kubeconfig", hostFile(h)], { encoding: "utf8" });
  return out.split("\n").filter(Boolean);
}

async function hasNamespace(h: HostCluster, name: string): Promise<boolean> {
  const ns = await orNull(kubeOf(h).core.readNamespace({ name }));
  return !!ns && !ns.metadata?.deletionTimestamp;
}

/** Namespaces of this file's team on a host (not terminating). */
async function teamNamespaces(h: HostCluster): Promise<string[]> {
  const list = await kubeOf(h).core.listNamespace({ labelSelector: `vcluster-portal.dev/team-id=${team.teamId}` });
  return list.items.filter((ns) => !ns.metadata?.deletionTimestamp).map((ns) => ns.metadata!.name!);
}

/** A READY cluster on host `on`: namespace, release, ready control plane and kubeconfig Secret there, none of it on the other host. */
async function expectReadyOn(clusterId: string, on: HostCluster, off: HostCluster) {
  const c = await waitForPhase(prisma, clusterId, "READY", 90_000);
  expect(c.hostClusterId).toBe(on.id);
  const ns = c.namespace!;
  expect(await hasNamespace(on, ns)).toBe(true);
  expect(await hasNamespace(off, ns)).toBe(false);
  expect(helmReleases(on, ns)).toEqual([c.releaseName]);
  const sts = await kubeOf(on).apps.readNamespacedStatefulSet({ name: c.releaseName!, namespace: ns });
  expect(sts.status?.readyReplicas).toBe(1);
  expect(await orNull(kubeOf(on).core.readNamespacedSecret({ name: `vc-${c.releaseName}`, namespace: ns }))).not.toBeNull();
  return c;
}

/**
 * Cleanup between tests (deletion through the reconciler is shown once, in the first test): stop the
 * workers, remove this team's namespaces from both hosts (the emulators stop their API servers), retire the rows.
 */
async function retireAll() {
  await stopWorkers();
  for (const h of [hostA, hostB]) for (const ns of await teamNamespaces(h)) await kubeOf(h).core.deleteNamespace({ name: ns }).catch(() => {});
  await prisma.virtualCluster.updateMany({
    where: { teamId: team.teamId, phase: { notIn: ["DELETED", "REJECTED", "EXPIRED"] } },
    data: { phase: "DELETED", desiredState: "DELETED", deletedAt: new Date() },
  });
}

/** Rows a request or an approval writes. */
async function writeCounts() {
  return {
    clusters: await prisma.virtualCluster.count(),
    events: await prisma.clusterEvent.count(),
    audit: await prisma.auditEvent.count(),
    decisions: await prisma.approvalDecision.count(),
  };
}

beforeAll(async () => {
  const t0 = Date.now();
  second = await upSecondHost();
  console.info(`[timing] second host "${second.name}" ${second.reused ? "reused" : "started"} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  prisma = createPrisma(testDb.url(), 16);
  team = await createTestTeam(prisma, slug);
  // The seeded LOCAL host (also the `test` cluster) stays registered but disabled: only A and B take clusters.
  await prisma.hostCluster.update({ where: { name: "local" }, data: { enabled: false } });
  hostA = await prisma.hostCluster.create({
    data: { id: `eu-${slug}`, name: `eu-${slug}`, connection: "KUBECONFIG", kubeconfigEncrypted: encryptHostKubeconfig(`eu-${slug}`, readFileSync(testKubeconfig(), "utf8")), labels: { region: "eu" }, ...CAPACITY_A },
  });
  hostB = await prisma.hostCluster.create({
    data: { id: `us-${slug}`, name: `us-${slug}`, connection: "KUBECONFIG", kubeconfigEncrypted: encryptHostKubeconfig(`us-${slug}`, readFileSync(second.kubeconfig, "utf8")), labels: { region: "us" }, ...CAPACITY_B },
  });
  // The same cached clients the worker uses (lib/kube/client.ts: one per host row).
  kubeA = hostClient(hostA);
  kubeB = hostClient(hostB);
  for (const file of [testKubeconfig(), second.kubeconfig]) {
    emulators.push(await startEmulator({ hostKubeconfig: file, namespacePrefix: `vc-${slug}-`, pollMs: 300, log: () => {} }));
  }
});

beforeEach(async () => {
  await prisma.hostCluster.update({ where: { id: hostA.id }, data: { enabled: true, labels: { region: "eu" }, ...CAPACITY_A } });
  await prisma.hostCluster.update({ where: { id: hostB.id }, data: { enabled: true, labels: { region: "us" }, ...CAPACITY_B } });
  await setSelector({});
  await setSelector({}, "team-dev");
});

afterEach(async () => {
  await retireAll();
});

afterAll(async () => {
  await stopWorkers();
  // Leave the shared `test` host clean (and `test-b`, in case it is kept running).
  if (team && hostA && hostB) {
    for (const h of [hostA, hostB]) for (const ns of await teamNamespaces(h).catch(() => [])) await kubeOf(h).core.deleteNamespace({ name: ns }).catch(() => {});
  }
  await Promise.all(emulators.map((e) => e.stop()));
  await prisma?.$disconnect();
  await second?.release();
});

describe("placement across two host clusters", { timeout: 240_000 }, () => {
  it("a template restricted to host labels lands on the matching host and becomes READY there", async () => {
    startWorker();
    // region=us: B, although A has more free capacity.
    await setSelector({ region: "us" });
    const t0 = Date.now();
    const us = await request();
    expect(us.hostClusterId).toBe(hostB.id);
    // region=eu: A.
    await setSelector({ region: "eu" });
    const eu = await request();
    expect(eu.hostClusterId).toBe(hostA.id);

    const onB = await expectReadyOn(us.id, hostB, hostA);
    await expectReadyOn(eu.id, hostA, hostB);
    console.info(`[timing] two requests → READY on their hosts: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    expect(await teamNamespaces(hostB)).toEqual([onB.namespace]);
    expect(await teamNamespaces(hostA)).toEqual([eu.namespace]);

    // Deletion goes to the same host: release and namespace removed from B.
    await deleteCluster(team.member, { clusterId: us.id });
    await waitForPhase(prisma, us.id, "DELETED", 90_000);
    expect(await hasNamespace(hostB, onB.namespace!)).toBe(false);
    expect(await teamNamespaces(hostB)).toEqual([]);
    expect(await teamNamespaces(hostA)).toEqual([eu.namespace]);
  });

  it("without a selector, each request goes to the enabled host with the most free capacity", async () => {
    startWorker();
    // Both empty: A (0.83) over B (0.75).
    const first = await request();
    expect(first.hostClusterId).toBe(hostA.id);
    await expectReadyOn(first.id, hostA, hostB);
    // A now holds a running cluster (0.67 left after placing another): B (0.75) has more room.
    const next = await request();
    expect(next.hostClusterId).toBe(hostB.id);
    // B with a second one would be at 0.5, A is at 0.67: back to A. (A request reserves at once, READY or not.)
    const third = await request();
    expect(third.hostClusterId).toBe(hostA.id);
    await Promise.all([expectReadyOn(next.id, hostB, hostA), expectReadyOn(third.id, hostA, hostB)]);

    // Capacity counts live clusters only: once A's two are deleted, empty A (0.83) beats B holding one (0.5).
    await deleteCluster(team.member, { clusterId: first.id });
    await deleteCluster(team.member, { clusterId: third.id });
    await Promise.all([first, third].map((c) => waitForPhase(prisma, c.id, "DELETED", 90_000)));
    expect(await teamNamespaces(hostA)).toEqual([]);
    expect((await request()).hostClusterId).toBe(hostA.id);
  });

  it("a disabled host is never chosen, neither on request nor on approval", async () => {
    // B would be by far the roomiest — but it is disabled.
    await prisma.hostCluster.update({ where: { id: hostB.id }, data: { enabled: false, capacityCpuMillicores: 64_000, capacityMemoryMiB: 262_144 } });
    startWorker();
    const c = await request();
    expect(c.hostClusterId).toBe(hostA.id);
    await expectReadyOn(c.id, hostA, hostB);

    // An approval places too: team-dev needs one, and it lands on A.
    const pending = await request("team-dev");
    expect(pending).toMatchObject({ phase: "PENDING_APPROVAL", hostClusterId: null });
    const approved = await approveRequest(team.admin, { clusterId: pending.id });
    expect(approved.hostClusterId).toBe(hostA.id);

    // A selector only a disabled host matches (B, or the seeded LOCAL host) finds nothing.
    for (const selector of [{ region: "us" }, { region: "local" }]) {
      await setSelector(selector);
      await expect(request()).rejects.toMatchObject({ name: "AppError", code: "UNAVAILABLE", message: UNAVAILABLE });
    }
    const live = await prisma.virtualCluster.findMany({ where: { teamId: team.teamId, phase: { notIn: ["DELETED", "REJECTED", "EXPIRED"] } }, select: { id: true, hostClusterId: true } });
    expect(live).toEqual(expect.arrayContaining([{ id: c.id, hostClusterId: hostA.id }, { id: pending.id, hostClusterId: hostA.id }]));
    expect(live).toHaveLength(2);
    expect(await teamNamespaces(hostB)).toEqual([]);
  });

  it("when no host fits, the request fails with a readable UNAVAILABLE error and nothing is written", async () => {
    // The approval below needs a pending request: write it first, then count.
    const pending = await request("team-dev");
    const before = await writeCounts();
    const names = new Set<string>();
    const attempt = async (what: string, message = UNAVAILABLE) => {
      const name = `p${n + 1}`;
      names.add(name);
      await expect(request(), what).rejects.toMatchObject({ name: "AppError", code: "UNAVAILABLE", status: 503, message });
    };

    // No host carries the label.
    await setSelector({ region: "ap" });
    await attempt("no host labelled region=ap");
    // The only matching host is too small (CPU) …
    await setSelector({ region: "eu" });
    await prisma.hostCluster.update({ where: { id: hostA.id }, data: { capacityCpuMillicores: 500 } });
    await attempt("region=eu host with 500m");
    // … or out of memory …
    await prisma.hostCluster.update({ where: { id: hostA.id }, data: { ...CAPACITY_A, capacityMemoryMiB: 1024 } });
    await attempt("region=eu host with 1 GiB");
    // … or at its cluster limit.
    await prisma.hostCluster.update({ where: { id: hostA.id }, data: { ...CAPACITY_A, maxClusters: 0 } });
    await attempt("region=eu host with maxClusters 0");
    // Every host disabled.
    await setSelector({});
    await prisma.hostCluster.updateMany({ data: { enabled: false } });
    await attempt("every host disabled", ALL_DISABLED);

    // Approving when nothing fits fails the same way and leaves the request pending and unplaced.
    await expect(approveRequest(team.admin, { clusterId: pending.id })).rejects.toMatchObject({ code: "UNAVAILABLE", message: ALL_DISABLED });
    expect(await prisma.virtualCluster.findUniqueOrThrow({ where: { id: pending.id } })).toMatchObject({ phase: "PENDING_APPROVAL", hostClusterId: null, generation: pending.generation });

    expect(await writeCounts()).toEqual(before);
    expect(await prisma.virtualCluster.count({ where: { teamId: team.teamId, name: { in: [...names] } } })).toBe(0);
    expect(await teamNamespaces(hostA)).toEqual([]);
    expect(await teamNamespaces(hostB)).toEqual([]);
  });
});
