// The reconciler's state machine against a real PostgreSQL and an in-memory host (scripts/testenv/fake-host-reconciler.ts):
// provisioning, sleep, wake and delete, fast and deterministic. real-host-*.int.test.ts repeat the important flows
// against the real local host cluster with helm.
import { describe, expect, it } from "vitest";
import { deleteCluster } from "@/lib/domain/delete-cluster";
import { sleepCluster } from "@/lib/domain/sleep-cluster";
import { wakeCluster } from "@/lib/domain/wake-cluster";
import { FakeHost, waitForPhase, waitUntil } from "@/scripts/testenv/fake-host";
import { setUpFakeHostReconciler } from "@/scripts/testenv/fake-host-reconciler";

const suite = setUpFakeHostReconciler();
const { startWorker, request, events } = suite;

describe("provisioning", () => {
  it("takes a Sandbox request to READY, writing each timeline event exactly once", async () => {
    const host = new FakeHost();
    startWorker(host);
    const c = await request();
    const ready = await waitForPhase(suite.prisma, c.id, "READY");
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
    await waitForPhase(suite.prisma, c.id, "READY", 10_000);
    expect(Date.now() - t0).toBeLessThan(3_000);
  });

  it("goes straight to DELETED when a request is deleted before it was placed", async () => {
    const host = new FakeHost();
    startWorker(host);
    const c = await request("team-dev");
    expect(c.phase).toBe("PENDING_APPROVAL");
    expect(c.hostClusterId).toBeNull();
    await deleteCluster(suite.team.member, { clusterId: c.id });
    const done = await waitForPhase(suite.prisma, c.id, "DELETED");
    expect(done.deletedAt).not.toBeNull();
    expect(host.calls).toEqual([]);
  });
});

describe("sleep, wake, delete", () => {
  it("sleeps, wakes and deletes end to end, releasing the quota", async () => {
    const host = new FakeHost();
    startWorker(host);
    const c = await request();
    await waitForPhase(suite.prisma, c.id, "READY");

    await sleepCluster(suite.team.member, { clusterId: c.id });
    const slept = await waitForPhase(suite.prisma, c.id, "SLEEPING");
    expect(slept.observedGeneration).toBe(slept.generation);
    expect(host.statefulSets.get(`${c.namespace}/${c.releaseName}`)).toMatchObject({ replicas: 0, paused: true });

    await wakeCluster(suite.team.member, { clusterId: c.id });
    await waitForPhase(suite.prisma, c.id, "READY");
    expect(host.statefulSets.get(`${c.namespace}/${c.releaseName}`)).toMatchObject({ replicas: 1, paused: false });

    const reservedBefore = await suite.prisma.virtualCluster.count({ where: { teamId: suite.team.teamId, phase: { in: ["PROVISIONING", "READY", "SLEEPING", "DELETING", "FAILED", "PENDING_APPROVAL"] } } });
    await deleteCluster(suite.team.member, { clusterId: c.id });
    const gone = await waitForPhase(suite.prisma, c.id, "DELETED");
    expect(gone.deletedAt).not.toBeNull();
    expect(host.namespaces.has(c.namespace!)).toBe(false);
    expect(host.releases.size).toBe(0);
    const reservedAfter = await suite.prisma.virtualCluster.count({ where: { teamId: suite.team.teamId, phase: { in: ["PROVISIONING", "READY", "SLEEPING", "DELETING", "FAILED", "PENDING_APPROVAL"] } } });
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
    await waitForPhase(suite.prisma, c.id, "READY");
    const hostRow = await suite.prisma.hostCluster.findFirstOrThrow({ where: { id: c.hostClusterId! } });
    await suite.prisma.hostCluster.update({ where: { id: hostRow.id }, data: { endpointPattern: "not a url {release}" } });
    try {
      await deleteCluster(suite.team.member, { clusterId: c.id });
      const gone = await waitForPhase(suite.prisma, c.id, ["DELETED", "FAILED"]);
      expect(gone).toMatchObject({ phase: "DELETED", lastError: null });
      expect(host.namespaces.has(c.namespace!)).toBe(false);
    } finally {
      await suite.prisma.hostCluster.update({ where: { id: hostRow.id }, data: { endpointPattern: hostRow.endpointPattern } });
    }
  });
});
