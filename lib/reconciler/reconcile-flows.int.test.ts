// The reconciler's state machine against a real PostgreSQL and an in-memory host (FakeHost): every flow,
// crash point and failure mode, fast and deterministic. reconciler-host.int.test.ts repeats the important
// ones against the real local host cluster with helm.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createPrisma } from "@/lib/db/client";
import { approveRequest } from "@/lib/domain/approve-request";
import { deleteCluster } from "@/lib/domain/delete-cluster";
import { requestCluster } from "@/lib/domain/request-cluster";
import { retryCluster } from "@/lib/domain/retry-cluster";
import { sleepCluster } from "@/lib/domain/sleep-cluster";
import { wakeCluster } from "@/lib/domain/wake-cluster";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { HelmError } from "@/lib/kube/drivers/helm";
import { createDbRegistry } from "@/lib/metrics/db-metrics";
import { testNamespacePrefix, useTestDatabase } from "@/scripts/testenv/per-file";
import { PARKED_UNTIL } from "./queue";
import type { Checkpoint } from "./step-context";
import { approvalTimeoutSweep } from "./approval-timeout-sweep";
import { driftSweep, dueForExpiry, expireOne, expirySweep, usageSnapshotSweep, utcDay } from "./sweeps";
import { ConcurrencyProbe, FakeHost, createTestTeam, unavailable, waitForPhase, waitUntil } from "@/scripts/testenv/fake-host";
import { Worker, type WorkerOptions } from "./worker";

const testDb = useTestDatabase({ seeded: true });
let prisma: PrismaClient;
let team: Awaited<ReturnType<typeof createTestTeam>>;
const workers: Worker[] = [];
let n = 0;

const FAST = { readyPollMs: 100, deletePollMs: 100, backoff: { baseMs: 50, capMs: 400 } };

function startWorker(host: FakeHost, over: Partial<WorkerOptions> = {}): Worker {
  const w = new Worker({ db: prisma, databaseUrl: testDb.url(), concurrency: 4, leaseSeconds: 5, pollMs: 200, hostOps: host.factory(), sweeps: false, step: FAST, ...over });
  workers.push(w);
  void w.start();
  return w;
}

async function request(template = "sandbox", ctx = team.member) {
  return requestCluster(ctx, { teamId: team.teamId, templateSlug: template, name: `c${++n}` });
}

async function events(clusterId: string) {
  return (await prisma.clusterEvent.findMany({ where: { clusterId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] })).map((e) => e.type);
}

/** Earlier tests used other FakeHosts: their clusters would "vanish" from this one. Retire them. */
async function retireOtherClusters(keep: string) {
  await prisma.virtualCluster.updateMany({ where: { id: { not: keep }, phase: { in: ["READY", "SLEEPING"] } }, data: { phase: "DELETED" } });
}

function count(list: string[], type: string) {
  return list.filter((t) => t === type).length;
}

beforeAll(async () => {
  prisma = createPrisma(testDb.url(), 16);
  team = await createTestTeam(prisma, testNamespacePrefix().slice(0, 20));
});
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.stop({ timeoutMs: 2_000 })));
  // Every test brings its own FakeHost: park what earlier tests left due (e.g. a READY cluster whose dead
  // worker never released it), so the next test's worker does not reconcile it against the wrong host.
  await prisma.virtualCluster.updateMany({ data: { nextReconcileAt: PARKED_UNTIL, leaseOwner: null, leaseUntil: null } });
});
afterAll(async () => {
  await prisma.$disconnect();
});

describe("provisioning", () => {
  it("takes a Sandbox request to READY, writing each timeline event exactly once", async () => {
    const host = new FakeHost();
    startWorker(host);
    const c = await request();
    const ready = await waitForPhase(prisma, c.id, "READY");
    expect(ready).toMatchObject({ attempts: 0, lastError: null, leaseOwner: null, observedGeneration: ready.generation });
    expect(ready.readyAt).not.toBeNull();
    expect(ready.nextReconcileAt.getUTCFullYear()).toBe(9999);
    const ev = await events(c.id);
    expect(ev).toEqual(["requested", "namespace-created", "release-installed", "ready"]);
    expect(host.count("install")).toBe(1);
    expect(host.count("apply")).toBe(1);
    expect([...host.namespaces.keys()]).toEqual([c.namespace]);
  });

  it("wakes up at once on NOTIFY instead of waiting for the next poll", async () => {
    const host = new FakeHost();
    host.readyDelayMs = 0;
    const w = startWorker(host, { pollMs: 60_000 });
    await waitUntil("the worker to idle", async () => w.running, 2_000);
    await new Promise((r) => setTimeout(r, 300));
    const t0 = Date.now();
    const c = await request();
    await waitForPhase(prisma, c.id, "READY", 10_000);
    expect(Date.now() - t0).toBeLessThan(3_000);
  });

  it("goes straight to DELETED when a request is deleted before it was placed", async () => {
    const host = new FakeHost();
    startWorker(host);
    const c = await request("team-dev");
    expect(c.phase).toBe("PENDING_APPROVAL");
    expect(c.hostClusterId).toBeNull();
    await deleteCluster(team.member, { clusterId: c.id });
    const done = await waitForPhase(prisma, c.id, "DELETED");
    expect(done.deletedAt).not.toBeNull();
    expect(host.calls).toEqual([]);
  });
});

describe("sleep, wake, delete", () => {
  it("sleeps, wakes and deletes end to end, releasing the quota", async () => {
    const host = new FakeHost();
    startWorker(host);
    const c = await request();
    await waitForPhase(prisma, c.id, "READY");

    await sleepCluster(team.member, { clusterId: c.id });
    const slept = await waitForPhase(prisma, c.id, "SLEEPING");
    expect(slept.observedGeneration).toBe(slept.generation);
    expect(host.statefulSets.get(`${c.namespace}/${c.releaseName}`)).toMatchObject({ replicas: 0, paused: true });

    await wakeCluster(team.member, { clusterId: c.id });
    await waitForPhase(prisma, c.id, "READY");
    expect(host.statefulSets.get(`${c.namespace}/${c.releaseName}`)).toMatchObject({ replicas: 1, paused: false });

    const reservedBefore = await prisma.virtualCluster.count({ where: { teamId: team.teamId, phase: { in: ["PROVISIONING", "READY", "SLEEPING", "DELETING", "FAILED", "PENDING_APPROVAL"] } } });
    await deleteCluster(team.member, { clusterId: c.id });
    const gone = await waitForPhase(prisma, c.id, "DELETED");
    expect(gone.deletedAt).not.toBeNull();
    expect(host.namespaces.has(c.namespace!)).toBe(false);
    expect(host.releases.size).toBe(0);
    const reservedAfter = await prisma.virtualCluster.count({ where: { teamId: team.teamId, phase: { in: ["PROVISIONING", "READY", "SLEEPING", "DELETING", "FAILED", "PENDING_APPROVAL"] } } });
    expect(reservedAfter).toBe(reservedBefore - 1);

    const ev = await events(c.id);
    expect(ev).toEqual(["requested", "namespace-created", "release-installed", "ready", "sleep-requested", "slept", "wake-requested", "resumed", "delete-requested", "deleted"]);
  });
});

describe("deleting against a host an admin misconfigured", () => {
  it("a broken endpoint pattern does not keep a cluster from being deleted", async () => {
    const host = new FakeHost();
    startWorker(host);
    const c = await request();
    await waitForPhase(prisma, c.id, "READY");
    const hostRow = await prisma.hostCluster.findFirstOrThrow({ where: { id: c.hostClusterId! } });
    await prisma.hostCluster.update({ where: { id: hostRow.id }, data: { endpointPattern: "not a url {release}" } });
    try {
      await deleteCluster(team.member, { clusterId: c.id });
      const gone = await waitForPhase(prisma, c.id, ["DELETED", "FAILED"]);
      expect(gone).toMatchObject({ phase: "DELETED", lastError: null });
      expect(host.namespaces.has(c.namespace!)).toBe(false);
    } finally {
      await prisma.hostCluster.update({ where: { id: hostRow.id }, data: { endpointPattern: hostRow.endpointPattern } });
    }
  });
});

describe("crashes", () => {
  // The checkpoints of a clean provisioning run, in order (observed: see the first test of this block).
  it("records the checkpoint sequence of a clean provisioning", async () => {
    const host = new FakeHost();
    const seen: Checkpoint[] = [];
    startWorker(host, { probe: { at: (name) => void seen.push(name) } });
    const c = await request();
    await waitForPhase(prisma, c.id, "READY");
    expect(seen[0]).toBe("observe");
    expect(seen).toContain("apply-host-objects");
    expect(seen).toContain("install");
    expect(seen).toContain("mark-installed");
    expect(seen.at(-2)).toBe("mark-ready");
    expect(seen.at(-1)).toBe("release");
  });

  for (let k = 1; k <= 10; k++) {
    it(`resumes after the worker dies at checkpoint #${k}: one namespace, one release, each event once`, async () => {
      const host = new FakeHost();
      let calls = 0;
      let crashedAt: string | null = null;
      // Count only this test's cluster (an earlier test may leave a READY cluster leased by its dead worker).
      const earlier = new Set((await prisma.virtualCluster.findMany({ select: { id: true } })).map((r) => r.id));
      const doomed = startWorker(host, {
        leaseSeconds: 1,
        probe: {
          at: (name, id) => {
            if (!earlier.has(id) && ++calls === k) {
              crashedAt = name;
              return "crash";
            }
          },
        },
      });
      const c = await request();
      await waitUntil("the crash (or READY when the run has fewer checkpoints)", async () => doomed.stats.crashes > 0 || (await prisma.virtualCluster.findUniqueOrThrow({ where: { id: c.id } })).phase === "READY", 10_000);
      await doomed.kill();
      const leased = await prisma.virtualCluster.findUniqueOrThrow({ where: { id: c.id } });
      if (crashedAt) expect(leased.leaseOwner).toBe(doomed.id); // a dead worker releases nothing

      startWorker(host);
      const ready = await waitForPhase(prisma, c.id, "READY", 15_000);
      expect(ready.observedGeneration).toBe(ready.generation);
      expect([...host.namespaces.keys()]).toEqual([c.namespace]);
      expect([...host.releases.keys()]).toEqual([`${c.namespace}/${c.releaseName}`]);
      expect(host.statefulSets.size).toBe(1);
      const ev = await events(c.id);
      expect(count(ev, "namespace-created")).toBe(1);
      expect(count(ev, "release-installed")).toBe(1);
      expect(count(ev, "ready")).toBe(1);
    });
  }

  it("a graceful stop mid-wait hands the cluster over without waiting for the lease", async () => {
    const host = new FakeHost();
    host.readyDelayMs = 1_500;
    const a = startWorker(host, { leaseSeconds: 60 });
    const c = await request();
    await waitUntil("the release", async () => host.releases.size > 0, 5_000);
    await a.stop();
    const t0 = Date.now();
    startWorker(host, { leaseSeconds: 60 });
    await waitForPhase(prisma, c.id, "READY", 10_000);
    expect(Date.now() - t0).toBeLessThan(5_000);
  });
});

describe("failures", () => {
  it("waits out an API server outage with backoff and a visible lastError, never FAILED, then resumes", async () => {
    const host = new FakeHost();
    host.outage = unavailable();
    startWorker(host);
    const c = await request();
    const waiting = await waitUntil("several failed attempts", async () => {
      const r = await prisma.virtualCluster.findUniqueOrThrow({ where: { id: c.id } });
      return r.attempts >= 5 ? r : null;
    }, 15_000);
    expect(waiting.phase).toBe("PROVISIONING");
    expect(waiting.lastError).toMatch(/unreachable/);
    // Backoff spaces the attempts out: 5 attempts with base 50 ms cap 400 ms take > 500 ms.
    host.outage = null;
    const ready = await waitForPhase(prisma, c.id, "READY", 10_000);
    expect(ready).toMatchObject({ attempts: 0, lastError: null });
  });

  it("fails at once on a chart error, shows helm's message, and can be retried", async () => {
    const host = new FakeHost();
    let broken = true;
    host.installError = () => (broken ? new HelmError("UPGRADE FAILED: template: vcluster/templates/statefulset.yaml:21:21: executing \"vcluster/templates/statefulset.yaml\": invalid replicas", 1, "helm upgrade --install") : null);
    startWorker(host);
    const c = await request();
    const failed = await waitForPhase(prisma, c.id, "FAILED");
    expect(failed.lastError).toMatch(/^Helm: UPGRADE FAILED: template: vcluster\/templates\/statefulset.yaml/);
    expect(failed.nextReconcileAt.getUTCFullYear()).toBe(9999);
    expect(await events(c.id)).toContain("failed");

    broken = false;
    await retryCluster(team.member, { clusterId: c.id });
    const ready = await waitForPhase(prisma, c.id, "READY");
    expect(ready.lastError).toBeNull();
    expect(host.releases.get(`${c.namespace}/${c.releaseName}`)).toMatchObject({ revision: 2, status: "deployed" });
  });

  it("gives up on errors of unknown kind after maxAttempts", async () => {
    const host = new FakeHost();
    host.installError = () => new Error("something nobody expected");
    startWorker(host, { step: { ...FAST, maxAttempts: 3 } });
    const c = await request();
    const failed = await waitForPhase(prisma, c.id, "FAILED", 10_000);
    expect(failed.lastError).toBe("something nobody expected (gave up after 3 attempts)");
    expect(host.count("install")).toBe(3);
  });

  it("fails a control plane that never becomes ready", async () => {
    const host = new FakeHost();
    host.readyDelayMs = 60_000;
    startWorker(host, { step: { ...FAST, readyTimeoutMs: 500 } });
    const c = await request();
    const failed = await waitForPhase(prisma, c.id, "FAILED", 10_000);
    expect(failed.lastError).toMatch(/did not become ready within 1 s: 0\/1 control plane replicas ready/);
  });
});

describe("several workers", () => {
  it("never runs two steps for one cluster at the same time", async () => {
    const host = new FakeHost();
    host.latencyMs = 20;
    host.readyDelayMs = 300;
    const probe = new ConcurrencyProbe();
    startWorker(host, { concurrency: 3, probe, pollMs: 50 });
    startWorker(host, { concurrency: 3, probe, pollMs: 50 });
    startWorker(host, { concurrency: 3, probe, pollMs: 50 });
    const cs = [];
    for (let i = 0; i < 6; i++) cs.push(await request());
    for (const c of cs) await waitForPhase(prisma, c.id, "READY", 20_000);
    expect(probe.maxPerCluster).toBe(1);
    expect(probe.maxTotal).toBeGreaterThan(1); // they did work in parallel
    expect(host.count("install")).toBe(6);
    for (const c of cs) expect(count(await events(c.id), "ready")).toBe(1);
  });
});

describe("sweeps", () => {
  it("expires a DELETE template's cluster: audited as the system, finishes EXPIRED", async () => {
    const host = new FakeHost();
    startWorker(host);
    const c = await request();
    await waitForPhase(prisma, c.id, "READY");
    await prisma.virtualCluster.update({ where: { id: c.id }, data: { expiresAt: new Date(Date.now() - 1_000) } });
    const r = await expirySweep(prisma);
    expect(r.deleted).toBeGreaterThanOrEqual(1);
    const row = await prisma.virtualCluster.findUniqueOrThrow({ where: { id: c.id } });
    expect(row).toMatchObject({ desiredState: "DELETED" });
    expect(row.expiredAt).not.toBeNull();
    const audit = await prisma.auditEvent.findFirstOrThrow({ where: { targetId: c.id, action: "cluster.expire" } });
    expect(audit).toMatchObject({ actorId: null, actorEmail: "system", teamId: team.teamId });
    const expired = await waitForPhase(prisma, c.id, "EXPIRED");
    expect(expired.deletedAt).not.toBeNull();
    expect(host.namespaces.has(c.namespace!)).toBe(false);
    // Idempotent: nothing more to expire.
    expect((await expirySweep(prisma)).deleted).toBe(0);
    expect(count(await events(c.id), "expired")).toBe(1);
  });

  it("an extension committed after the sweep read the cluster wins: it is neither deleted nor slept", async () => {
    const host = new FakeHost();
    startWorker(host);
    const c = await request();
    await waitForPhase(prisma, c.id, "READY");
    await prisma.virtualCluster.update({ where: { id: c.id }, data: { expiresAt: new Date(Date.now() - 1_000) } });
    const now = new Date();
    const [candidate] = (await dueForExpiry(prisma, now, 200)).filter((x) => x.id === c.id);
    // The owner extends (and is told so) between the sweep's read and its write.
    await prisma.virtualCluster.update({ where: { id: c.id }, data: { expiresAt: new Date(Date.now() + 3_600_000) } });
    expect(await expireOne(prisma, candidate!, now)).toBeNull();
    const row = await prisma.virtualCluster.findUniqueOrThrow({ where: { id: c.id } });
    expect(row).toMatchObject({ phase: "READY", desiredState: "RUNNING", expiredAt: null });
    expect(await prisma.auditEvent.count({ where: { targetId: c.id, action: "cluster.expire" } })).toBe(0);
  });

  it("puts a SLEEP template's cluster to sleep when its lifetime ends", async () => {
    const host = new FakeHost();
    startWorker(host);
    const c = await request("team-dev");
    await approveRequest(team.admin, { clusterId: c.id });
    await waitForPhase(prisma, c.id, "READY");
    await prisma.virtualCluster.update({ where: { id: c.id }, data: { expiresAt: new Date(Date.now() - 1_000) } });
    expect((await expirySweep(prisma)).slept).toBe(1);
    await waitForPhase(prisma, c.id, "SLEEPING");
    expect((await expirySweep(prisma)).slept).toBe(0);
    expect(await prisma.auditEvent.count({ where: { targetId: c.id, action: "cluster.expire" } })).toBe(1);
  });

  it("repairs drift: a namespace deleted behind the portal's back is recreated", async () => {
    const host = new FakeHost();
    startWorker(host);
    const c = await request();
    await waitForPhase(prisma, c.id, "READY");
    await retireOtherClusters(c.id);
    const observes = host.count("observe");
    expect(await driftSweep(prisma, host.factory())).toMatchObject({ checked: 1, drifted: 0 });
    expect(host.count("observe")).toBe(observes); // all present: the inventory sufficed
    expect(await driftSweep(prisma, host.factory({ withInventory: false }))).toMatchObject({ checked: 1, drifted: 0 });

    host.deleteNamespace(c.namespace!);
    const r = await driftSweep(prisma, host.factory());
    expect(r.drifted).toBe(1);
    const ready = await waitForPhase(prisma, c.id, "READY");
    expect(host.namespaces.has(c.namespace!)).toBe(true);
    expect(host.releases.get(`${c.namespace}/${c.releaseName}`)?.revision).toBe(1); // reinstalled from scratch
    const ev = await events(c.id);
    expect(ev.slice(-4)).toEqual(["drift-detected", "namespace-created", "release-installed", "resumed"]);
    const drift = await prisma.clusterEvent.findFirstOrThrow({ where: { clusterId: c.id, type: "drift-detected" } });
    expect(drift.message).toBe(`The namespace ${c.namespace} was deleted on the host outside the portal; recreating it`);
    expect(ready.readyAt!.getTime()).toBeLessThan(drift.createdAt.getTime()); // readyAt keeps the first time
  });

  it("checks every cluster, a page at a time: drift of the last one by id is found with a page of 3", async () => {
    const host = new FakeHost();
    startWorker(host, { concurrency: 8 });
    const cs = [] as Awaited<ReturnType<typeof request>>[];
    for (let i = 0; i < 7; i++) cs.push(await request());
    for (const c of cs) await waitForPhase(prisma, c.id, "READY");
    await prisma.virtualCluster.updateMany({ where: { id: { notIn: cs.map((c) => c.id) }, phase: { in: ["READY", "SLEEPING"] } }, data: { phase: "DELETED" } });
    const last = [...cs].sort((a, b) => a.id.localeCompare(b.id)).at(-1)!;
    host.deleteNamespace(last.namespace!);
    const r = await driftSweep(prisma, host.factory(), { pageSize: 3 });
    expect(r).toMatchObject({ checked: 7, drifted: 1 });
    await waitForPhase(prisma, last.id, "READY");
  });

  it("does not report drift while the host is unreachable", async () => {
    const host = new FakeHost();
    startWorker(host);
    const c = await request();
    await waitForPhase(prisma, c.id, "READY");
    await retireOtherClusters(c.id);
    host.outage = unavailable();
    const r = await driftSweep(prisma, host.factory());
    expect(r.drifted).toBe(0);
    expect(r).toMatchObject({ checked: 0, unreachable: 1 });
    expect((await prisma.virtualCluster.findUniqueOrThrow({ where: { id: c.id } })).phase).toBe("READY");
  });

  it("rejects requests no admin decided on within the timeout, freeing the quota they held", async () => {
    const old = await request("team-dev");
    const fresh = await request("team-dev");
    expect(old.phase).toBe("PENDING_APPROVAL");
    await prisma.virtualCluster.update({ where: { id: old.id }, data: { createdAt: new Date(Date.now() - 49 * 3_600_000) } });
    expect(await approvalTimeoutSweep(prisma, { timeoutHours: 48 })).toBe(1);
    expect(await prisma.virtualCluster.findUniqueOrThrow({ where: { id: old.id } })).toMatchObject({ phase: "REJECTED", desiredState: "DELETED" });
    expect((await prisma.virtualCluster.findUniqueOrThrow({ where: { id: fresh.id } })).phase).toBe("PENDING_APPROVAL");
    expect(await events(old.id)).toContain("rejected");
    expect(await prisma.auditEvent.count({ where: { targetId: old.id, action: "cluster.reject", actorEmail: "system" } })).toBe(1);
    expect(await approvalTimeoutSweep(prisma, { timeoutHours: 48 })).toBe(0); // idempotent
    expect(await approvalTimeoutSweep(prisma, { timeoutHours: 0 })).toBe(0); // off
    // Retire both, so later tests of this file count no rejected cluster.
    await prisma.virtualCluster.updateMany({ where: { id: { in: [old.id, fresh.id] } }, data: { phase: "DELETED" } });
  });

  it("writes one usage snapshot per team and day, updated in place", async () => {
    const now = new Date();
    expect(await usageSnapshotSweep(prisma, { now })).toBeGreaterThanOrEqual(4);
    const live = await prisma.virtualCluster.aggregate({
      where: { teamId: team.teamId, phase: { in: ["PENDING_APPROVAL", "PROVISIONING", "READY", "SLEEPING", "DELETING", "FAILED"] } },
      _count: { _all: true },
      _sum: { cpuMillicores: true, memoryMiB: true },
    });
    const snap = await prisma.usageSnapshot.findUniqueOrThrow({ where: { teamId_day: { teamId: team.teamId, day: utcDay(now) } } });
    expect(snap).toMatchObject({ clusters: live._count._all, cpuMillicores: live._sum.cpuMillicores ?? 0, memoryMiB: live._sum.memoryMiB ?? 0 });
    await prisma.virtualCluster.updateMany({ where: { teamId: team.teamId, phase: { in: ["READY", "SLEEPING"] } }, data: { phase: "DELETED" } });
    await usageSnapshotSweep(prisma, { now });
    expect(await prisma.usageSnapshot.count({ where: { teamId: team.teamId } })).toBe(1);
    const after = await prisma.usageSnapshot.findUniqueOrThrow({ where: { teamId_day: { teamId: team.teamId, day: utcDay(now) } } });
    expect(after.clusters).toBeLessThan(snap.clusters);
  });
});

describe("database-derived metrics", () => {
  it("reports clusters by phase, the queue and request→READY durations", async () => {
    const text = await createDbRegistry(() => prisma).metrics();
    const ready = await prisma.virtualCluster.count({ where: { readyAt: { not: null } } });
    const readyTemplates = await prisma.virtualCluster.groupBy({ by: ["templateVersionId"], where: { readyAt: { not: null } } });
    expect(readyTemplates.length).toBeGreaterThan(0);
    const countLines = text.split("\n").filter((l) => l.startsWith("vcp_cluster_provisioning_duration_seconds_count"));
    expect(countLines.reduce((s, l) => s + Number(l.split(" ").at(-1)), 0)).toBe(ready);
    expect(text).toMatch(/vcp_cluster_provisioning_duration_seconds_bucket\{template="sandbox",le="5"\} \d+/);
    expect(text).toMatch(/vcp_cluster_provisioning_duration_seconds_bucket\{template="sandbox",le="\+Inf"\} \d+/);
    expect(text).toMatch(/vcp_clusters\{phase="EXPIRED"\} 1/);
    expect(text).toMatch(/vcp_clusters\{phase="REJECTED"\} 0/);
    expect(text).toMatch(/vcp_reconcile_queue_depth \d+/);
    expect(text).toMatch(/vcp_reconcile_queue_oldest_due_age_seconds [\d.]+/);
  });
});
