import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrisma } from "@/lib/db/client";
import { requestCluster } from "@/lib/domain/request-cluster";
import { RECONCILE_CHANNEL } from "@/lib/domain/enqueue";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { testNamespacePrefix, useTestDatabase } from "@/scripts/testenv/per-file";
import { queueStats } from "@/lib/metrics/queue-stats";
import { PARKED_UNTIL } from "@/lib/domain/enqueue";
import { ReconcileListener, claimDue, holdsClaim, liveClaimByOther, markHostChanged, msUntilNextDue, releaseAllOf, releaseClaim, renewLease } from "./queue";
import { createTestTeam, waitUntil } from "@/scripts/testenv/fake-host";

const testDb = useTestDatabase({ seeded: true });
let prisma: PrismaClient;
let team: Awaited<ReturnType<typeof createTestTeam>>;
const ids: string[] = [];

beforeAll(async () => {
  prisma = createPrisma(testDb.url(), 12);
  team = await createTestTeam(prisma, `${testNamespacePrefix()}`.slice(0, 20));
  for (let i = 0; i < 6; i++) ids.push((await requestCluster(team.member, { teamId: team.teamId, templateSlug: "sandbox", name: `q${i}` })).id);
});
afterAll(async () => {
  await prisma.$disconnect();
});

async function resetQueue() {
  await prisma.virtualCluster.updateMany({ data: { leaseOwner: null, leaseUntil: null, nextReconcileAt: new Date(Date.now() - 1_000), attempts: 0, lastError: null } });
}

describe("claiming due clusters", () => {
  it("hands every due cluster to exactly one of many concurrent claimers", async () => {
    await resetQueue();
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => claimDue(prisma, { owner: `w${i}`, limit: 2, leaseSeconds: 30 })));
    const claimed = results.flat().map((c) => c.id);
    expect(new Set(claimed).size).toBe(claimed.length);
    expect(claimed.sort()).toEqual([...ids].sort());
    const rows = await prisma.virtualCluster.findMany({ where: { id: { in: ids } } });
    for (const r of rows) {
      expect(r.leaseOwner).toMatch(/^w\d$/);
      expect(r.leaseUntil!.getTime() - Date.now()).toBeGreaterThan(25_000);
    }
    // Nothing left: everything is leased.
    expect(await claimDue(prisma, { owner: "late", limit: 10, leaseSeconds: 30 })).toEqual([]);
  });

  it("skips clusters that are not due, parked, or pending approval", async () => {
    await resetQueue();
    await prisma.virtualCluster.update({ where: { id: ids[0] }, data: { nextReconcileAt: new Date(Date.now() + 60_000) } });
    await prisma.virtualCluster.update({ where: { id: ids[1] }, data: { phase: "FAILED" } });
    await prisma.virtualCluster.update({ where: { id: ids[2] }, data: { phase: "PENDING_APPROVAL" } });
    const got = (await claimDue(prisma, { owner: "w", limit: 10, leaseSeconds: 30 })).map((c) => c.id).sort();
    expect(got).toEqual([ids[3], ids[4], ids[5]].sort());
    await prisma.virtualCluster.updateMany({ where: { id: { in: ids } }, data: { phase: "PROVISIONING" } });
  });

  it("takes over a cluster whose lease expired (its worker died) and fences the old holder out", async () => {
    await resetQueue();
    await prisma.virtualCluster.updateMany({ where: { id: { notIn: [ids[0]!] } }, data: { nextReconcileAt: PARKED_UNTIL } });
    const [first] = await claimDue(prisma, { owner: "dead", limit: 1, leaseSeconds: 1 });
    expect(first!.id).toBe(ids[0]);
    expect(await claimDue(prisma, { owner: "next", limit: 1, leaseSeconds: 30 })).toEqual([]);
    await new Promise((r) => setTimeout(r, 1_100));
    const [again] = await claimDue(prisma, { owner: "next", limit: 1, leaseSeconds: 30 });
    expect(again!.id).toBe(ids[0]);
    expect(again!.lateMs).toBeGreaterThan(1_000);
    expect(again!.token).toBe(first!.token + 1);
    // The dead worker wakes up: it can neither renew nor release.
    expect(await renewLease(prisma, first!, "dead", 30)).toBe(false);
    expect(await releaseClaim(prisma, first!, "dead", { requeueAfterMs: null, attempts: 0 })).toBe(false);
    expect((await prisma.virtualCluster.findUniqueOrThrow({ where: { id: ids[0] } })).leaseOwner).toBe("next");
    expect(await renewLease(prisma, again!, "next", 30)).toBe(true);
  });

  it("fences a worker out of its own older claim once it claimed the cluster again (same owner, higher token)", async () => {
    await resetQueue();
    await prisma.virtualCluster.updateMany({ where: { id: { notIn: [ids[0]!] } }, data: { nextReconcileAt: PARKED_UNTIL } });
    const [old] = await claimDue(prisma, { owner: "w", limit: 1, leaseSeconds: 1 });
    await new Promise((r) => setTimeout(r, 1_100));
    const [fresh] = await claimDue(prisma, { owner: "w", limit: 1, leaseSeconds: 30 });
    expect(fresh!.token).toBeGreaterThan(old!.token);
    // The owner matches, the token does not: the old claim's writes are refused, the new one's land.
    expect(await prisma.$transaction((tx) => holdsClaim(tx, ids[0]!, { owner: "w", token: old!.token }))).toBe(false);
    expect(await prisma.$transaction((tx) => holdsClaim(tx, ids[0]!, { owner: "w", token: fresh!.token }))).toBe(true);
    expect(await renewLease(prisma, old!, "w", 30)).toBe(false);
    expect(await releaseClaim(prisma, old!, "w", { requeueAfterMs: null, attempts: 7 })).toBe(false);
    expect(await liveClaimByOther(prisma, ids[0]!, { owner: "w", token: old!.token })).toBe(true);
    expect(await liveClaimByOther(prisma, ids[0]!, { owner: "w", token: fresh!.token })).toBe(false);
    expect(await releaseClaim(prisma, fresh!, "w", { requeueAfterMs: null, attempts: 0 })).toBe(true);
    // Released: no live claim at all, whoever asks.
    expect(await liveClaimByOther(prisma, ids[0]!, { owner: "w", token: old!.token })).toBe(false);
  });
});

describe("releasing", () => {
  it("requeues after the given delay with attempts and lastError, or parks", async () => {
    await resetQueue();
    const [c] = await claimDue(prisma, { owner: "w", limit: 1, leaseSeconds: 30 });
    const before = Date.now();
    expect(await releaseClaim(prisma, c!, "w", { requeueAfterMs: 5_000, attempts: 3, lastError: "Kubernetes API unreachable" })).toBe(true);
    let row = await prisma.virtualCluster.findUniqueOrThrow({ where: { id: c!.id } });
    expect(row).toMatchObject({ leaseOwner: null, leaseUntil: null, attempts: 3, lastError: "Kubernetes API unreachable" });
    expect(row.nextReconcileAt.getTime() - before).toBeGreaterThan(4_000);
    expect(row.nextReconcileAt.getTime() - before).toBeLessThan(7_000);

    await prisma.virtualCluster.update({ where: { id: c!.id }, data: { nextReconcileAt: new Date(Date.now() - 10) } });
    const [c2] = (await claimDue(prisma, { owner: "w", limit: 10, leaseSeconds: 30 })).filter((x) => x.id === c!.id);
    expect(c2!.attempts).toBe(3);
    await releaseClaim(prisma, c2!, "w", { requeueAfterMs: null, attempts: 0 });
    row = await prisma.virtualCluster.findUniqueOrThrow({ where: { id: c!.id } });
    expect(row.nextReconcileAt.toISOString()).toBe(PARKED_UNTIL.toISOString());
    expect(row.lastError).toBe("Kubernetes API unreachable"); // undefined keeps it
    await releaseAllOf(prisma, "w");
  });

  it("does not lose a change of intent made while the step ran", async () => {
    await resetQueue();
    const [c] = await claimDue(prisma, { owner: "w", limit: 1, leaseSeconds: 30 });
    // A person deletes the cluster meanwhile: enqueueReconcile bumps generation, resets attempts, due now.
    await prisma.virtualCluster.update({ where: { id: c!.id }, data: { generation: { increment: 1 }, attempts: 0, nextReconcileAt: new Date() } });
    await releaseClaim(prisma, c!, "w", { requeueAfterMs: 300_000, attempts: 4, lastError: "stale" });
    const row = await prisma.virtualCluster.findUniqueOrThrow({ where: { id: c!.id } });
    expect(row.attempts).toBe(0);
    expect(row.lastError).toBeNull(); // the stale verdict is dropped
    expect(row.nextReconcileAt.getTime()).toBeLessThanOrEqual(Date.now() + 50);
    await releaseAllOf(prisma, "w");
  });
});

describe("host changes reported by a watch", () => {
  it("make a waiting cluster due at once, and one whose step is running due at its release; idle clusters and other releases are left alone", async () => {
    await resetQueue();
    const [c] = await claimDue(prisma, { owner: "w", limit: 1, leaseSeconds: 30 });
    const row = await prisma.virtualCluster.findUniqueOrThrow({ where: { id: c!.id } });
    const where = { hostId: row.hostClusterId!, namespace: row.namespace!, release: row.releaseName };
    // The control plane became ready just after the step looked: the step's "wait 5 minutes" must not win.
    expect(await markHostChanged(prisma, where)).toBe(0); // leased: not due yet, but noted
    await releaseClaim(prisma, c!, "w", { requeueAfterMs: 300_000, attempts: 0 });
    let after = await prisma.virtualCluster.findUniqueOrThrow({ where: { id: c!.id } });
    expect(after.nextReconcileAt.getTime()).toBeLessThanOrEqual(Date.now() + 50);
    expect(after.hostChangedAt).not.toBeNull();

    // Waiting (requeued for later): due now.
    await prisma.virtualCluster.update({ where: { id: c!.id }, data: { nextReconcileAt: new Date(Date.now() + 300_000) } });
    expect(await markHostChanged(prisma, { ...where, release: "another-release" })).toBe(0);
    expect(await markHostChanged(prisma, where)).toBe(1);
    after = await prisma.virtualCluster.findUniqueOrThrow({ where: { id: c!.id } });
    expect(after.nextReconcileAt.getTime()).toBeLessThanOrEqual(Date.now() + 50);
    // A namespace-wide change (the namespace is gone) reaches its clusters too.
    await prisma.virtualCluster.update({ where: { id: c!.id }, data: { nextReconcileAt: new Date(Date.now() + 300_000) } });
    expect(await markHostChanged(prisma, { ...where, release: null })).toBe(1);

    // Idle (READY and parked until something happens): a watch event does not start a step that could undo what
    // the vcluster CLI just did; the drift sweep decides about those.
    await prisma.virtualCluster.update({ where: { id: c!.id }, data: { phase: "READY", nextReconcileAt: PARKED_UNTIL } });
    expect(await markHostChanged(prisma, where)).toBe(0);
    after = await prisma.virtualCluster.findUniqueOrThrow({ where: { id: c!.id } });
    expect(after.nextReconcileAt.toISOString()).toBe(PARKED_UNTIL.toISOString());
    await prisma.virtualCluster.update({ where: { id: c!.id }, data: { phase: "PROVISIONING" } });
  });
});

describe("queue introspection", () => {
  it("reports depth, leases and the age of the oldest due item; and when the next one is due", async () => {
    await resetQueue();
    await prisma.virtualCluster.updateMany({ where: { id: { in: ids.slice(3) } }, data: { nextReconcileAt: PARKED_UNTIL } });
    await prisma.virtualCluster.update({ where: { id: ids[0] }, data: { nextReconcileAt: new Date(Date.now() - 30_000) } });
    await claimDue(prisma, { owner: "w", limit: 1, leaseSeconds: 30 });
    const stats = await queueStats(prisma);
    expect(stats.depth).toBe(3);
    expect(stats.leased).toBe(1);
    expect(stats.waiting).toBe(2);
    expect(stats.oldestDueAgeSeconds).toBeGreaterThan(29);
    expect(await msUntilNextDue(prisma)).toBe(0);

    await prisma.virtualCluster.updateMany({ where: { id: { in: ids } }, data: { nextReconcileAt: PARKED_UNTIL, leaseOwner: null, leaseUntil: null } });
    expect(await msUntilNextDue(prisma)).toBeNull();
    expect(await queueStats(prisma)).toEqual({ depth: 0, waiting: 0, leased: 0, oldestDueAgeSeconds: 0 });
    await prisma.virtualCluster.update({ where: { id: ids[1] }, data: { nextReconcileAt: new Date(Date.now() + 2_000) } });
    const ms = (await msUntilNextDue(prisma))!;
    expect(ms).toBeGreaterThan(1_500);
    expect(ms).toBeLessThan(2_100);
  });
});

describe("LISTEN vcp_reconcile", () => {
  it("delivers the cluster id of committed enqueues and reconnects after the connection is killed", async () => {
    const got: string[] = [];
    let connects = 0;
    const listener = new ReconcileListener({ connectionString: testDb.url(), onNotify: (id) => got.push(id), onConnect: () => connects++, reconnectMs: 100 });
    await listener.start();
    try {
      await prisma.$executeRaw`SELECT pg_notify(${RECONCILE_CHANNEL}, 'abc')`;
      await waitUntil("the notification", async () => got.includes("abc"), 5_000);
      // Rolled-back transactions notify nobody.
      await prisma
        .$transaction(async (tx) => {
          await tx.$executeRaw`SELECT pg_notify(${RECONCILE_CHANNEL}, 'rolled-back')`;
          throw new Error("rollback");
        })
        .catch(() => {});
      await prisma.$executeRaw`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'vcp-worker-listen' AND datname = current_database()`;
      await waitUntil("a reconnect", async () => connects >= 2 && listener.connected, 10_000);
      await prisma.$executeRaw`SELECT pg_notify(${RECONCILE_CHANNEL}, 'after')`;
      await waitUntil("the notification after reconnecting", async () => got.includes("after"), 5_000);
      expect(got).not.toContain("rolled-back");
    } finally {
      await listener.stop();
    }
  });
});
