// Integration: an admin forgets a host that is gone for good — it stops taking clusters, each cluster on it
// ends as DELETED at once with the reason on its timeline and in the audit log, its team's quota and names are
// free again, a step still running for one of them is fenced out, and nothing ever calls the host.
import { beforeAll, describe, expect, it } from "vitest";
import type { DomainContext } from "@/lib/domain/context";
import { forgetHost } from "@/lib/domain/forget-host";
import { teamUsage } from "@/lib/domain/quota";
import { requestCluster } from "@/lib/domain/request-cluster";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { HostOps } from "@/lib/reconciler/host-ops";
import { claimDue, holdsClaim } from "@/lib/reconciler/queue";
import { Worker } from "@/lib/reconciler/worker";
import { actorContext, expectAppError } from "@/scripts/testenv/domain-actors";
import { useTestDatabase } from "@/scripts/testenv/per-file";

const testDb = useTestDatabase({ seeded: true });
let prisma: PrismaClient;
let admin: DomainContext;
let dev: DomainContext;

beforeAll(async () => {
  prisma = testDb.prisma();
  admin = await actorContext(prisma, "admin@example.com");
  dev = await actorContext(prisma, "dev.payments@example.com");
});

describe("forgetHost", () => {
  it("ends every cluster on the host without a host call, releases the quota and fences out running steps", async () => {
    const payments = await prisma.team.findUniqueOrThrow({ where: { slug: "payments" } });
    const usageBefore = await teamUsage(prisma, payments.id);
    const a = await requestCluster(dev, { teamId: payments.id, templateSlug: "sandbox", name: "gone-a" });
    const b = await requestCluster(dev, { teamId: payments.id, templateSlug: "sandbox", name: "gone-b" });
    const c = await requestCluster(dev, { teamId: payments.id, templateSlug: "sandbox", name: "gone-c" });
    const pending = await requestCluster(dev, { teamId: payments.id, templateSlug: "team-dev", name: "still-waiting" });
    await prisma.virtualCluster.update({ where: { id: b.id }, data: { phase: "READY" } });
    await prisma.virtualCluster.update({ where: { id: c.id }, data: { phase: "DELETING", desiredState: "DELETED" } });
    const host = await prisma.hostCluster.findUniqueOrThrow({ where: { name: "local" } });
    // A worker is in the middle of a step for cluster a.
    await prisma.virtualCluster.updateMany({ where: { id: { not: a.id } }, data: { nextReconcileAt: new Date("9999-01-01T00:00:00Z") } });
    const [claim] = await claimDue(prisma, { owner: "worker-x", limit: 1, leaseSeconds: 60 });
    expect(claim!.id).toBe(a.id);

    await expectAppError(forgetHost(dev, { hostId: host.id, confirm: "local", reason: "burnt down" }), "FORBIDDEN");
    await expectAppError(forgetHost(admin, { hostId: host.id, confirm: "lokal", reason: "burnt down" }), "VALIDATION", { fieldErrors: { confirm: ['Type "local" to confirm'] } });
    await expectAppError(forgetHost(admin, { hostId: host.id, confirm: "local", reason: "x" }), "VALIDATION", {
      fieldErrors: { reason: ["Say what happened to the host, so the owners of its clusters know"] },
    });
    await expectAppError(forgetHost(admin, { hostId: "nope", confirm: "local", reason: "burnt down" }), "NOT_FOUND");

    expect(await forgetHost(admin, { hostId: host.id, confirm: "local", reason: "the datacenter burnt down" })).toEqual({ host: "local", clusters: 3 });
    expect((await prisma.hostCluster.findUniqueOrThrow({ where: { id: host.id } })).enabled).toBe(false);
    for (const x of [a, b, c]) {
      const row = await prisma.virtualCluster.findUniqueOrThrow({ where: { id: x.id }, include: { events: true } });
      expect(row).toMatchObject({ phase: "DELETED", desiredState: "DELETED", leaseOwner: null, leaseUntil: null });
      expect(row.deletedAt).not.toBeNull();
      expect(row.nextReconcileAt.getUTCFullYear()).toBe(9999);
      const event = row.events.find((e) => e.type === "host-forgotten");
      expect(event?.message).toBe(
        "The host local is gone for good (the datacenter burnt down); admin@example.com removed this cluster from the portal. Nothing could be cleaned up on the host.",
      );
      expect(event?.actorId).toBe(admin.actor.id);
    }
    expect((await prisma.virtualCluster.findUniqueOrThrow({ where: { id: pending.id } })).phase).toBe("PENDING_APPROVAL");

    // The step that was running for a is fenced out: its next write would be refused.
    expect(await prisma.$transaction((tx) => holdsClaim(tx, a.id, { owner: "worker-x", token: claim!.token }))).toBe(false);
    // Quota: only the request waiting for approval still counts; the names are free again.
    const usageAfter = await teamUsage(prisma, payments.id);
    expect(usageAfter.inUse).toEqual(usageBefore.inUse);
    expect(usageAfter.pending.clusters).toBe(usageBefore.pending.clusters + 1);
    expect(await prisma.auditEvent.count({ where: { action: "host.forget", actorEmail: "admin@example.com", details: { path: ["reason"], equals: "the datacenter burnt down" } } })).toBe(1);
    expect(await prisma.auditEvent.count({ where: { action: "cluster.delete", details: { path: ["by"], equals: "host forgotten" } } })).toBe(3);

    // A reconciler worker finds nothing to do for them: no host operation is ever attempted.
    const calls: string[] = [];
    const refuse = new Proxy({} as HostOps, {
      get: (_t, op) => () => {
        calls.push(String(op));
        throw new Error(`host call ${String(op)} attempted`);
      },
    });
    await prisma.virtualCluster.updateMany({ where: { id: { in: [a.id, b.id, c.id] } }, data: { nextReconcileAt: new Date() } });
    const w = new Worker({ db: prisma, concurrency: 4, leaseSeconds: 5, pollMs: 100, sweeps: false, hostOps: () => refuse });
    await w.start();
    await new Promise((r) => setTimeout(r, 1_000));
    await w.stop({ timeoutMs: 2_000 });
    expect(calls).toEqual([]);
    expect(w.stats.claims).toBe(0);

    // Their names can be used again at once (the host being disabled, new requests go elsewhere or wait).
    await prisma.hostCluster.update({ where: { id: host.id }, data: { enabled: true } });
    const again = await requestCluster(dev, { teamId: payments.id, templateSlug: "sandbox", name: "gone-a" });
    expect(again.name).toBe("gone-a");
  });
});
