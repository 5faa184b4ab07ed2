// Integration: an admin drains a host — it stops taking clusters, each cluster on it ends with the reason on
// its timeline and in the audit log; pending requests are untouched; only admins, only with the host's name.
import { beforeAll, describe, expect, it } from "vitest";
import type { DomainContext } from "@/lib/domain/context";
import { drainHost } from "@/lib/domain/drain-host";
import { requestCluster } from "@/lib/domain/request-cluster";
import type { PrismaClient } from "@/lib/generated/prisma/client";
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

describe("drainHost", () => {
  it("disables the host and ends every cluster on it, telling each owner why", async () => {
    const payments = await prisma.team.findUniqueOrThrow({ where: { slug: "payments" } });
    const a = await requestCluster(dev, { teamId: payments.id, templateSlug: "sandbox", name: "on-host-a" });
    const b = await requestCluster(dev, { teamId: payments.id, templateSlug: "sandbox", name: "on-host-b" });
    const pending = await requestCluster(dev, { teamId: payments.id, templateSlug: "team-dev", name: "waiting" });
    await prisma.virtualCluster.update({ where: { id: b.id }, data: { phase: "READY" } });
    const host = await prisma.hostCluster.findUniqueOrThrow({ where: { name: "local" } });

    await expectAppError(drainHost(dev, { hostId: host.id, confirm: "local", reason: "retiring it" }), "FORBIDDEN");
    await expectAppError(drainHost(admin, { hostId: host.id, confirm: "loca", reason: "retiring it" }), "VALIDATION", { fieldErrors: { confirm: ['Type "local" to confirm'] } });
    await expectAppError(drainHost(admin, { hostId: host.id, confirm: "local", reason: "" }), "VALIDATION");

    expect(await drainHost(admin, { hostId: host.id, confirm: "local", reason: "retiring it on Friday" })).toEqual({ host: "local", clusters: 2 });
    expect((await prisma.hostCluster.findUniqueOrThrow({ where: { id: host.id } })).enabled).toBe(false);
    for (const c of [a, b]) {
      const row = await prisma.virtualCluster.findUniqueOrThrow({ where: { id: c.id }, include: { events: true } });
      expect(row).toMatchObject({ phase: "DELETING", desiredState: "DELETED" });
      expect(row.events.find((e) => e.type === "host-drained")?.message).toMatch(/retiring it on Friday/);
    }
    expect((await prisma.virtualCluster.findUniqueOrThrow({ where: { id: pending.id } })).phase).toBe("PENDING_APPROVAL");
    expect(await prisma.auditEvent.count({ where: { action: "host.drain", actorEmail: "admin@example.com" } })).toBe(1);
    expect(await prisma.auditEvent.count({ where: { action: "cluster.delete", details: { path: ["by"], equals: "host drain" } } })).toBe(2);
  });
});
