// The reconciler's sweeps against a real PostgreSQL and an in-memory host (scripts/testenv/fake-host-reconciler.ts):
// expiry, drift, approval timeout, usage snapshots, and the metrics derived from the database afterwards (the last
// block counts what the sweeps before it left behind).
import { describe, expect, it } from "vitest";
import { approveRequest } from "@/lib/domain/approve-request";
import { createDbRegistry } from "@/lib/metrics/db-metrics";
import { approvalTimeoutSweep } from "./approval-timeout-sweep";
import { driftSweep, dueForExpiry, expireOne, expirySweep, usageSnapshotSweep, utcDay } from "./sweeps";
import { FakeHost, unavailable, waitForPhase } from "@/scripts/testenv/fake-host";
import { count, setUpFakeHostReconciler } from "@/scripts/testenv/fake-host-reconciler";

const suite = setUpFakeHostReconciler();
const { startWorker, request, events, retireOtherClusters } = suite;

describe("sweeps", () => {
  it("expires a DELETE template's cluster: audited as the system, finishes EXPIRED", async () => {
    const host = new FakeHost();
    startWorker(host);
    const c = await request();
    await waitForPhase(suite.prisma, c.id, "READY");
    await suite.prisma.virtualCluster.update({ where: { id: c.id }, data: { expiresAt: new Date(Date.now() - 1_000) } });
    const r = await expirySweep(suite.prisma);
    expect(r.deleted).toBeGreaterThanOrEqual(1);
    const row = await suite.prisma.virtualCluster.findUniqueOrThrow({ where: { id: c.id } });
    expect(row).toMatchObject({ desiredState: "DELETED" });
    expect(row.expiredAt).not.toBeNull();
    const audit = await suite.prisma.auditEvent.findFirstOrThrow({ where: { targetId: c.id, action: "cluster.expire" } });
    expect(audit).toMatchObject({ actorId: null, actorEmail: "system", teamId: suite.team.teamId });
    const expired = await waitForPhase(suite.prisma, c.id, "EXPIRED");
    expect(expired.deletedAt).not.toBeNull();
    expect(host.namespaces.has(c.namespace!)).toBe(false);
    // Idempotent: nothing more to expire.
    expect((await expirySweep(suite.prisma)).deleted).toBe(0);
    expect(count(await events(c.id), "expired")).toBe(1);
  });

  it("an extension committed after the sweep read the cluster wins: it is neither deleted nor slept", async () => {
    const host = new FakeHost();
    startWorker(host);
    const c = await request();
    await waitForPhase(suite.prisma, c.id, "READY");
    await suite.prisma.virtualCluster.update({ where: { id: c.id }, data: { expiresAt: new Date(Date.now() - 1_000) } });
    const now = new Date();
    const [candidate] = (await dueForExpiry(suite.prisma, now, 200)).filter((x) => x.id === c.id);
    // The owner extends (and is told so) between the sweep's read and its write.
    await suite.prisma.virtualCluster.update({ where: { id: c.id }, data: { expiresAt: new Date(Date.now() + 3_600_000) } });
    expect(await expireOne(suite.prisma, candidate!, now)).toBeNull();
    const row = await suite.prisma.virtualCluster.findUniqueOrThrow({ where: { id: c.id } });
    expect(row).toMatchObject({ phase: "READY", desiredState: "RUNNING", expiredAt: null });
    expect(await suite.prisma.auditEvent.count({ where: { targetId: c.id, action: "cluster.expire" } })).toBe(0);
  });

  it("puts a SLEEP template's cluster to sleep when its lifetime ends", async () => {
    const host = new FakeHost();
    startWorker(host);
    const c = await request("team-dev");
    await approveRequest(suite.team.admin, { clusterId: c.id });
    await waitForPhase(suite.prisma, c.id, "READY");
    await suite.prisma.virtualCluster.update({ where: { id: c.id }, data: { expiresAt: new Date(Date.now() - 1_000) } });
    expect((await expirySweep(suite.prisma)).slept).toBe(1);
    await waitForPhase(suite.prisma, c.id, "SLEEPING");
    expect((await expirySweep(suite.prisma)).slept).toBe(0);
    expect(await suite.prisma.auditEvent.count({ where: { targetId: c.id, action: "cluster.expire" } })).toBe(1);
  });

  it("repairs drift: a namespace deleted behind the portal's back is recreated", async () => {
    const host = new FakeHost();
    startWorker(host);
    const c = await request();
    await waitForPhase(suite.prisma, c.id, "READY");
    await retireOtherClusters(c.id);
    const observes = host.count("observe");
    expect(await driftSweep(suite.prisma, host.factory())).toMatchObject({ checked: 1, drifted: 0 });
    expect(host.count("observe")).toBe(observes); // all present: the inventory sufficed
    expect(await driftSweep(suite.prisma, host.factory({ withInventory: false }))).toMatchObject({ checked: 1, drifted: 0 });

    host.deleteNamespace(c.namespace!);
    const r = await driftSweep(suite.prisma, host.factory());
    expect(r.drifted).toBe(1);
    const ready = await waitForPhase(suite.prisma, c.id, "READY");
    expect(host.namespaces.has(c.namespace!)).toBe(true);
    expect(host.releases.get(`${c.namespace}/${c.releaseName}`)?.revision).toBe(1); // reinstalled from scratch
    const ev = await events(c.id);
    expect(ev.slice(-4)).toEqual(["drift-detected", "namespace-created", "release-installed", "resumed"]);
    const drift = await suite.prisma.clusterEvent.findFirstOrThrow({ where: { clusterId: c.id, type: "drift-detected" } });
    expect(drift.message).toBe(`The namespace ${c.namespace} was deleted on the host outside the portal; recreating it`);
    expect(ready.readyAt!.getTime()).toBeLessThan(drift.createdAt.getTime()); // readyAt keeps the first time
  });

  it("checks every cluster, a page at a time: drift of the last one by id is found with a page of 3", async () => {
    const host = new FakeHost();
    startWorker(host, { concurrency: 8 });
    const cs = [] as Awaited<ReturnType<typeof request>>[];
    for (let i = 0; i < 7; i++) cs.push(await request());
    for (const c of cs) await waitForPhase(suite.prisma, c.id, "READY");
    await suite.prisma.virtualCluster.updateMany({ where: { id: { notIn: cs.map((c) => c.id) }, phase: { in: ["READY", "SLEEPING"] } }, data: { phase: "DELETED" } });
    const last = [...cs].sort((a, b) => a.id.localeCompare(b.id)).at(-1)!;
    host.deleteNamespace(last.namespace!);
    const r = await driftSweep(suite.prisma, host.factory(), { pageSize: 3 });
    expect(r).toMatchObject({ checked: 7, drifted: 1 });
    await waitForPhase(suite.prisma, last.id, "READY");
  });

  it("does not report drift while the host is unreachable", async () => {
    const host = new FakeHost();
    startWorker(host);
    const c = await request();
    await waitForPhase(suite.prisma, c.id, "READY");
    await retireOtherClusters(c.id);
    host.outage = unavailable();
    const r = await driftSweep(suite.prisma, host.factory());
    expect(r.drifted).toBe(0);
    expect(r).toMatchObject({ checked: 0, unreachable: 1 });
    expect((await suite.prisma.virtualCluster.findUniqueOrThrow({ where: { id: c.id } })).phase).toBe("READY");
  });

  it("rejects requests no admin decided on within the timeout, freeing the quota they held", async () => {
    const old = await request("team-dev");
    const fresh = await request("team-dev");
    expect(old.phase).toBe("PENDING_APPROVAL");
    await suite.prisma.virtualCluster.update({ where: { id: old.id }, data: { createdAt: new Date(Date.now() - 49 * 3_600_000) } });
    expect(await approvalTimeoutSweep(suite.prisma, { timeoutHours: 48 })).toBe(1);
    expect(await suite.prisma.virtualCluster.findUniqueOrThrow({ where: { id: old.id } })).toMatchObject({ phase: "REJECTED", desiredState: "DELETED" });
    expect((await suite.prisma.virtualCluster.findUniqueOrThrow({ where: { id: fresh.id } })).phase).toBe("PENDING_APPROVAL");
    expect(await events(old.id)).toContain("rejected");
    expect(await suite.prisma.auditEvent.count({ where: { targetId: old.id, action: "cluster.reject", actorEmail: "system" } })).toBe(1);
    expect(await approvalTimeoutSweep(suite.prisma, { timeoutHours: 48 })).toBe(0); // idempotent
    expect(await approvalTimeoutSweep(suite.prisma, { timeoutHours: 0 })).toBe(0); // off
    // Retire both, so later tests of this file count no rejected cluster.
    await suite.prisma.virtualCluster.updateMany({ where: { id: { in: [old.id, fresh.id] } }, data: { phase: "DELETED" } });
  });

  it("writes one usage snapshot per team and day, updated in place", async () => {
    const now = new Date();
    expect(await usageSnapshotSweep(suite.prisma, { now })).toBeGreaterThanOrEqual(4);
    const live = await suite.prisma.virtualCluster.aggregate({
      where: { teamId: suite.team.teamId, phase: { in: ["PENDING_APPROVAL", "PROVISIONING", "READY", "SLEEPING", "DELETING", "FAILED"] } },
      _count: { _all: true },
      _sum: { cpuMillicores: true, memoryMiB: true },
    });
    const snap = await suite.prisma.usageSnapshot.findUniqueOrThrow({ where: { teamId_day: { teamId: suite.team.teamId, day: utcDay(now) } } });
    expect(snap).toMatchObject({ clusters: live._count._all, cpuMillicores: live._sum.cpuMillicores ?? 0, memoryMiB: live._sum.memoryMiB ?? 0 });
    await suite.prisma.virtualCluster.updateMany({ where: { teamId: suite.team.teamId, phase: { in: ["READY", "SLEEPING"] } }, data: { phase: "DELETED" } });
    await usageSnapshotSweep(suite.prisma, { now });
    expect(await suite.prisma.usageSnapshot.count({ where: { teamId: suite.team.teamId } })).toBe(1);
    const after = await suite.prisma.usageSnapshot.findUniqueOrThrow({ where: { teamId_day: { teamId: suite.team.teamId, day: utcDay(now) } } });
    expect(after.clusters).toBeLessThan(snap.clusters);
  });
});

describe("database-derived metrics", () => {
  it("reports clusters by phase, the queue and request→READY durations", async () => {
    const text = await createDbRegistry(() => suite.prisma).metrics();
    const ready = await suite.prisma.virtualCluster.count({ where: { readyAt: { not: null } } });
    const readyTemplates = await suite.prisma.virtualCluster.groupBy({ by: ["templateVersionId"], where: { readyAt: { not: null } } });
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
