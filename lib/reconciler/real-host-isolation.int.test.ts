// Tenant isolation on the real local host cluster (scripts/testenv/real-host-reconciler.ts): clusters whose
// readable names collide, orphaned portal namespaces, one namespace per live cluster.
import { describe, expect, it } from "vitest";
import { deleteCluster } from "@/lib/domain/delete-cluster";
import { requestCluster } from "@/lib/domain/request-cluster";
import { orNull } from "@/lib/kube/errors";
import { kubeHostOps } from "./host-ops";
import { orphanSweep } from "./orphan-sweep";
import { driftSweep } from "./sweeps";
import { createPrisma } from "@/lib/db/client";
import { createTestDatabase } from "@/scripts/testenv/database";
import { createTestTeam, waitForPhase, waitUntil } from "@/scripts/testenv/fake-host";
import { testPgAdminUrl } from "@/scripts/testenv/per-file";
import { setUpRealHostReconciler } from "@/scripts/testenv/real-host-reconciler";

const host = setUpRealHostReconciler();
const { slug, startWorker, request, dropFromHost } = host;

describe("tenant isolation on the host", () => {
  it("the colliding pair (payments + eu-dev, payments-eu + dev) gets two namespaces; deleting one leaves the other untouched", async () => {
    startWorker();
    const other = await createTestTeam(host.prisma, `${slug}-eu`);
    const a = await requestCluster(host.team.member, { teamId: host.team.teamId, templateSlug: "sandbox", name: "eu-dev" });
    const b = await requestCluster(other.member, { teamId: other.teamId, templateSlug: "sandbox", name: "dev" });
    // The readable parts are the same; the suffix makes each namespace its cluster's own.
    expect(a.namespace!.slice(0, -6)).toBe(b.namespace!.slice(0, -6));
    expect(a.namespace).not.toBe(b.namespace);
    await Promise.all([waitForPhase(host.prisma, a.id, "READY", 120_000), waitForPhase(host.prisma, b.id, "READY", 120_000)]);
    for (const c of [a, b]) {
      const ns = await host.kube.core.readNamespace({ name: c.namespace! });
      expect(ns.metadata?.labels?.["vcluster-portal.dev/cluster-id"]).toBe(c.id);
    }
    const bBefore = await host.kube.apps.readNamespacedStatefulSet({ name: b.releaseName!, namespace: b.namespace! });

    await deleteCluster(host.team.member, { clusterId: a.id });
    await waitForPhase(host.prisma, a.id, "DELETED", 120_000);
    expect(await orNull(host.kube.core.readNamespace({ name: a.namespace! }))).toBeNull();
    const bAfter = await host.kube.apps.readNamespacedStatefulSet({ name: b.releaseName!, namespace: b.namespace! });
    expect(bAfter.metadata?.uid).toBe(bBefore.metadata?.uid);
    expect(bAfter.status?.readyReplicas).toBe(1);
    expect((await host.prisma.virtualCluster.findUniqueOrThrow({ where: { id: b.id } })).phase).toBe("READY");
    expect((await driftSweep(host.prisma, kubeHostOps)).drifted).toBe(0);
    await dropFromHost([b]);
  });

  it("finds a portal namespace whose cluster has no live row, reports it, and removes it after the grace period", async () => {
    startWorker();
    const c = await request();
    const keep = await request();
    await Promise.all([waitForPhase(host.prisma, c.id, "READY", 120_000), waitForPhase(host.prisma, keep.id, "READY", 120_000)]);
    await host.stopWorkers();
    // The row ends without its namespace (a crash between the two, a restored backup, a hand edit).
    await host.prisma.virtualCluster.update({ where: { id: c.id }, data: { phase: "DELETED", desiredState: "DELETED" } });
    // Only these two: earlier tests of this file leave namespaces of their own on the shared host. (Other test files'
    // databases are installations of their own, with their own registration of the host: their sweeps never list these.)
    const mine = (ns: string) => ns === c.namespace || ns === keep.namespace;
    const t0 = new Date();
    expect(await orphanSweep(host.prisma, kubeHostOps, { graceMs: 60_000, now: t0, only: mine })).toEqual({ found: 1, removed: 0, cleared: 0 });
    const marked = await host.kube.core.readNamespace({ name: c.namespace! });
    expect(marked.metadata?.annotations?.["vcluster-portal.dev/orphaned-since"]).toBe(t0.toISOString());
    expect(await host.prisma.auditEvent.count({ where: { action: "host.orphan.detected", actorEmail: "system" } })).toBe(1);
    // Within the grace period nothing is removed, however often the sweep runs.
    expect(await orphanSweep(host.prisma, kubeHostOps, { graceMs: 60_000, now: new Date(t0.getTime() + 30_000), only: mine })).toEqual({ found: 0, removed: 0, cleared: 0 });
    expect(await orphanSweep(host.prisma, kubeHostOps, { graceMs: 60_000, now: new Date(t0.getTime() + 61_000), only: mine })).toEqual({ found: 0, removed: 1, cleared: 0 });
    await waitUntil("the orphan namespace gone", async () => (await orNull(host.kube.core.readNamespace({ name: c.namespace! }))) === null, 90_000, 500);
    expect(await host.prisma.auditEvent.count({ where: { action: "host.orphan.removed" } })).toBe(1);
    // The live cluster beside it was never touched.
    expect((await host.kube.core.readNamespace({ name: keep.namespace! })).metadata?.annotations?.["vcluster-portal.dev/orphaned-since"]).toBeUndefined();
    await dropFromHost([keep]);
  });

  it("another portal installation sharing the host never takes this one's namespaces for orphans", async () => {
    startWorker();
    const c = await request();
    await waitForPhase(host.prisma, c.id, "READY", 120_000);
    await host.stopWorkers();
    const local = await host.prisma.hostCluster.findUniqueOrThrow({ where: { name: "local" } });
    expect((await host.kube.core.readNamespace({ name: c.namespace! })).metadata?.labels?.["vcluster-portal.dev/registration"]).toBe(local.registrationId);

    // A second installation: its own database, the same host registered there (as staging beside production would).
    const other = await createTestDatabase(testPgAdminUrl());
    const otherDb = createPrisma(other.url, 2);
    try {
      const otherLocal = await otherDb.hostCluster.findUniqueOrThrow({ where: { name: "local" } });
      expect(otherLocal.registrationId).not.toBe(local.registrationId);
      // Every namespace on the host, grace zero: it lists none of this installation's, so it marks and removes nothing of ours.
      const t0 = new Date();
      await orphanSweep(otherDb, kubeHostOps, { graceMs: 0, now: t0 });
      await orphanSweep(otherDb, kubeHostOps, { graceMs: 0, now: new Date(t0.getTime() + 1_000) });
      const ns = await host.kube.core.readNamespace({ name: c.namespace! });
      expect(ns.metadata?.deletionTimestamp).toBeUndefined();
      expect(ns.metadata?.annotations?.["vcluster-portal.dev/orphaned-since"]).toBeUndefined();
      expect(await otherDb.auditEvent.count({ where: { action: { startsWith: "host.orphan." } } })).toBe(0);
    } finally {
      await otherDb.$disconnect();
      await other.drop();
    }
    await dropFromHost([c]);
  });

  it("two live clusters can never hold one namespace on a host (database constraint)", async () => {
    const c = await request();
    const d = await request();
    const err = await host.prisma.virtualCluster.update({ where: { id: d.id }, data: { namespace: c.namespace } }).catch((e: unknown) => e as Error);
    expect((err as { code?: string }).code).toBe("P2002");
    await host.prisma.virtualCluster.updateMany({ where: { id: { in: [c.id, d.id] } }, data: { phase: "DELETED", desiredState: "DELETED" } });
  });
});
