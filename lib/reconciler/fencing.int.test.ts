// Fencing tokens (docs/reconciler.md "Fencing"): a step whose claim went stale — its lease ran out and another
// worker claimed the cluster — writes nothing more, in PostgreSQL or on the host, and its successor's writes win.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrisma } from "@/lib/db/client";
import { requestCluster } from "@/lib/domain/request-cluster";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { testNamespacePrefix, useTestDatabase } from "@/scripts/testenv/per-file";
import { StepAborted } from "./errors";
import { PARKED_UNTIL } from "@/lib/domain/enqueue";
import { claimDue, releaseClaim } from "./queue";
import { reconcileCluster } from "./reconcile-cluster";
import { FakeHost, createTestTeam, waitUntil } from "@/scripts/testenv/fake-host";

const testDb = useTestDatabase({ seeded: true });
let prisma: PrismaClient;
let team: Awaited<ReturnType<typeof createTestTeam>>;

beforeAll(async () => {
  prisma = createPrisma(testDb.url(), 8);
  team = await createTestTeam(prisma, testNamespacePrefix().slice(0, 20));
});
afterAll(async () => {
  await prisma.$disconnect();
});

const FAST = { readyPollMs: 100, deletePollMs: 100, backoff: { baseMs: 50, capMs: 400 } };

describe("a step whose claim went stale", () => {
  it("is refused its late writes and stops; the new claim's writes win", async () => {
    const c = await requestCluster(team.member, { teamId: team.teamId, templateSlug: "sandbox", name: "fenced" });
    await prisma.virtualCluster.updateMany({ where: { id: { not: c.id } }, data: { nextReconcileAt: PARKED_UNTIL } });
    const host = new FakeHost();

    // Worker A claims and is held up right before it applies the host objects. Its lease is long and expired
    // by hand below: a short one could run out on a busy machine before A gets there.
    const [claimA] = await claimDue(prisma, { owner: "worker-a", limit: 1, leaseSeconds: 30 });
    expect(claimA!.id).toBe(c.id);
    let resume!: () => void;
    const held = new Promise<void>((r) => (resume = r));
    let reached = false;
    const stepA = reconcileCluster({
      db: prisma,
      owner: "worker-a",
      claim: claimA!,
      hostOps: host.factory(),
      options: FAST,
      probe: {
        at: async (name) => {
          if (name !== "apply-host-objects") return;
          reached = true;
          await held;
        },
      },
    }).catch((e: unknown) => e);
    await waitUntil("worker A at apply-host-objects", async () => reached);

    // A's lease runs out; worker B claims the cluster with a higher fencing token.
    await prisma.virtualCluster.update({ where: { id: c.id }, data: { leaseUntil: new Date(Date.now() - 60_000) } });
    const [claimB] = await claimDue(prisma, { owner: "worker-b", limit: 1, leaseSeconds: 30 });
    expect(claimB!.id).toBe(c.id);
    expect(claimB!.token).toBe(claimA!.token + 1);

    // A wakes up. Its next database write (the timeline event) is refused and the step stops there: no
    // helm install on its behalf, nothing on the timeline.
    const callsBefore = host.calls.length;
    resume();
    const outcome = await stepA;
    expect(outcome).toBeInstanceOf(StepAborted);
    expect((outcome as StepAborted).reason).toBe("lease-lost");
    expect(host.calls.slice(callsBefore).filter((call) => call.startsWith("install"))).toEqual([]);
    expect((await prisma.clusterEvent.findMany({ where: { clusterId: c.id } })).map((e) => e.type)).toEqual(["requested"]);
    // A cannot release B's claim either.
    expect(await releaseClaim(prisma, claimA!, "worker-a", { requeueAfterMs: null, attempts: 5, lastError: "stale" })).toBe(false);

    // B's step runs to the end and its writes land.
    const stepB = await reconcileCluster({ db: prisma, owner: "worker-b", claim: claimB!, hostOps: host.factory(), options: FAST });
    expect(stepB).toMatchObject({ kind: "release", outcome: "waiting" });
    expect(host.calls.filter((call) => call.startsWith("install"))).toHaveLength(1);
    const row = await prisma.virtualCluster.findUniqueOrThrow({ where: { id: c.id } });
    expect(row).toMatchObject({ leaseOwner: "worker-b", leaseToken: claimB!.token, observedGeneration: row.generation, attempts: 0, lastError: null });
    expect((await prisma.clusterEvent.findMany({ where: { clusterId: c.id }, orderBy: { createdAt: "asc" } })).map((e) => e.type)).toEqual([
      "requested",
      "namespace-created",
      "release-installed",
    ]);
    if (stepB.kind === "release") expect(await releaseClaim(prisma, { ...claimB!, generation: stepB.generation }, "worker-b", stepB.result)).toBe(true);
  });

  it("is refused a phase change made after the cluster was claimed again", async () => {
    const host = new FakeHost();
    const c = await requestCluster(team.member, { teamId: team.teamId, templateSlug: "sandbox", name: "fenced2" });
    await prisma.virtualCluster.updateMany({ where: { id: { not: c.id } }, data: { nextReconcileAt: PARKED_UNTIL } });
    // Provision through to "installed", then let the control plane become ready.
    const [first] = await claimDue(prisma, { owner: "worker-a", limit: 1, leaseSeconds: 30 });
    const s1 = await reconcileCluster({ db: prisma, owner: "worker-a", claim: first!, hostOps: host.factory(), options: FAST });
    if (s1.kind === "release") await releaseClaim(prisma, { ...first!, generation: s1.generation }, "worker-a", { ...s1.result, requeueAfterMs: 0 });
    await new Promise((r) => setTimeout(r, host.readyDelayMs + 50));

    // A holds a claim and stops right before marking READY; B takes over with a newer claim (here: the row's
    // lease is handed over as an expiry would) and A's "ready" must not land. A's lease is long and expired by
    // hand: a short one could run out on a busy machine before A gets there.
    // A long lease, expired by hand below: a short one could run out on a busy machine before A gets there.
    const [claimA] = await claimDue(prisma, { owner: "worker-a", limit: 1, leaseSeconds: 30 });
    let resume!: () => void;
    const held = new Promise<void>((r) => (resume = r));
    let reached = false;
    const stepA = reconcileCluster({
      db: prisma,
      owner: "worker-a",
      claim: claimA!,
      hostOps: host.factory(),
      options: FAST,
      probe: { at: async (name) => void (name === "mark-ready" && ((reached = true), await held)) },
    }).catch((e: unknown) => e);
    await waitUntil("worker A at mark-ready", async () => reached);
    await prisma.virtualCluster.update({ where: { id: c.id }, data: { leaseUntil: new Date(Date.now() - 60_000) } });
    const [claimB] = await claimDue(prisma, { owner: "worker-b", limit: 1, leaseSeconds: 30 });
    resume();
    expect(await stepA).toBeInstanceOf(StepAborted);
    let row = await prisma.virtualCluster.findUniqueOrThrow({ where: { id: c.id } });
    expect(row).toMatchObject({ phase: "PROVISIONING", readyAt: null, leaseOwner: "worker-b" });

    const stepB = await reconcileCluster({ db: prisma, owner: "worker-b", claim: claimB!, hostOps: host.factory(), options: FAST });
    expect(stepB).toMatchObject({ kind: "release", outcome: "converged" });
    row = await prisma.virtualCluster.findUniqueOrThrow({ where: { id: c.id } });
    expect(row.phase).toBe("READY");
    expect((await prisma.clusterEvent.findMany({ where: { clusterId: c.id, type: "ready" } })).length).toBe(1);
  });
});
