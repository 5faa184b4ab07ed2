// Integration: the approval queue, bulk decisions and the team page's overview against a real Postgres.
import { beforeAll, describe, expect, it } from "vitest";
import { decideApprovals } from "@/lib/domain/decide-approvals";
import { listPendingApprovals } from "@/lib/domain/list-pending-approvals";
import { requestCluster } from "@/lib/domain/request-cluster";
import { getTeamOverview } from "@/lib/domain/team-overview";
import { usageSnapshotSweep } from "@/lib/reconciler/sweeps";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { actorContext, expectAppError } from "@/scripts/testenv/domain-actors";
import { useTestDatabase } from "@/scripts/testenv/per-file";

const testDb = useTestDatabase({ seeded: true });
const ctxFor = (email: string) => actorContext(prisma, email);
let prisma: PrismaClient;
const teams: Record<string, string> = {};



beforeAll(async () => {
  prisma = testDb.prisma();
  for (const t of await prisma.team.findMany()) teams[t.slug] = t.id;
});

describe("approval queue", () => {
  it("lists pending requests oldest first with their quota impact against admitted clusters", async () => {
    const dev = await ctxFor("dev.payments@example.com");
    await requestCluster(dev, { teamId: teams.payments!, templateSlug: "sandbox", name: "q-running", parameters: { size: "medium" } });
    const first = await requestCluster(dev, { teamId: teams.payments!, templateSlug: "team-dev", name: "q-first" });
    const second = await requestCluster(dev, { teamId: teams.payments!, templateSlug: "team-dev", name: "q-second" });
    const admin = await ctxFor("admin@example.com");

    const queue = await listPendingApprovals(admin);
    expect(queue.map((q) => q.name)).toEqual(["q-first", "q-second"]);
    const q = queue[0]!;
    expect(q).toMatchObject({
      id: first.id,
      requester: { email: "dev.payments@example.com" },
      team: { slug: "payments", name: "Payments" },
      template: { slug: "team-dev", version: 1 },
      why: "template",
      ttlHours: 72,
      request: { clusters: 1, cpuMillicores: 2000, memoryMiB: 4096 },
    });
    // In use: one medium sandbox (2 CPU, 4 GiB); the two Team dev requests (2 CPU, 4 GiB each) wait for approval.
    expect(q.impact).toMatchObject({
      limits: { clusters: 5, cpuMillicores: 8000, memoryMiB: 16384 },
      usage: { inUse: { clusters: 1, cpuMillicores: 2000, memoryMiB: 4096 }, pending: { clusters: 2, cpuMillicores: 4000, memoryMiB: 8192 } },
      afterApproval: { clusters: 2, cpuMillicores: 4000, memoryMiB: 8192 },
      fits: true,
      otherPending: 1,
    });
    expect(queue[1]!.id).toBe(second.id);
  });

  it("is for admins only", async () => {
    await expectAppError(listPendingApprovals(await ctxFor("lead.payments@example.com")), "FORBIDDEN");
    await expectAppError(decideApprovals(await ctxFor("lead.payments@example.com"), { decision: "approve", clusterIds: ["x"] }), "FORBIDDEN");
  });

  it("approves several at once and reports each id, even when one fails", async () => {
    const admin = await ctxFor("admin@example.com");
    const ids = (await listPendingApprovals(admin)).map((q) => q.id);
    const r = await decideApprovals(admin, { decision: "approve", clusterIds: [...ids, "does-not-exist"], reason: "sprint work" });
    expect(r.succeeded).toBe(2);
    expect(r.failed).toBe(1);
    expect(r.results.find((x) => x.clusterId === "does-not-exist")).toMatchObject({ ok: false, message: "Cluster was not found." });
    const rows = await prisma.virtualCluster.findMany({ where: { id: { in: ids } } });
    expect(rows.every((c) => c.phase === "PROVISIONING" && c.hostClusterId && c.expiresAt)).toBe(true);
    expect(await prisma.approvalDecision.count({ where: { clusterId: { in: ids }, decision: "APPROVED", reason: "sprint work" } })).toBe(2);
    expect(await prisma.auditEvent.count({ where: { action: "cluster.approve", targetId: { in: ids } } })).toBe(2);
    expect(await listPendingApprovals(admin)).toEqual([]);

    // Deciding again: the phase moved on, so each one fails alone with a readable reason.
    const again = await decideApprovals(admin, { decision: "reject", clusterIds: ids, reason: "changed my mind" });
    expect(again.failed).toBe(2);
    expect(again.results[0]!.message).toMatch(/no longer waiting for approval/);
  });

  it("needs a reason to reject, once for the whole batch", async () => {
    const admin = await ctxFor("admin@example.com");
    const dev = await ctxFor("dev.search@example.com");
    const c = await requestCluster(dev, { teamId: teams.search!, templateSlug: "team-dev", name: "q-reject" });
    const e = await expectAppError(decideApprovals(admin, { decision: "reject", clusterIds: [c.id] }), "VALIDATION");
    expect(e.fieldErrors?.reason).toBeDefined();
    const r = await decideApprovals(admin, { decision: "reject", clusterIds: [c.id, c.id], reason: "use a sandbox instead" });
    expect(r.results).toHaveLength(1);
    expect(r.results[0]).toMatchObject({ ok: true, name: "q-reject" });
    expect((await prisma.virtualCluster.findUniqueOrThrow({ where: { id: c.id } })).phase).toBe("REJECTED");
  });
});

describe("team overview", () => {
  it("is visible to members and admins; anyone else gets not found", async () => {
    expect((await getTeamOverview(await ctxFor("dev.payments@example.com"), { slug: "payments" })).team.slug).toBe("payments");
    expect((await getTeamOverview(await ctxFor("admin@example.com"), { slug: "payments" })).team.slug).toBe("payments");
    await expectAppError(getTeamOverview(await ctxFor("dev.search@example.com"), { slug: "payments" }), "NOT_FOUND");
    await expectAppError(getTeamOverview(await ctxFor("dev.search@example.com"), { slug: "no-such-team" }), "NOT_FOUND");
  });

  it("shows quota, usage, owners, members and what expires soon; usage moves when a member requests", async () => {
    const lead = await ctxFor("lead.payments@example.com");
    const before = await getTeamOverview(lead, { slug: "payments" });
    expect(before.quota).toMatchObject({ maxClusters: 5, cpuMillicores: 8000, memoryMiB: 16384 });
    expect(before.members.map((m) => [m.email, m.role])).toEqual([
      ["lead.payments@example.com", "LEAD"],
      ["dev.payments@example.com", "MEMBER"],
    ]);

    const dev = await ctxFor("dev.payments@example.com");
    await requestCluster(dev, { teamId: teams.payments!, templateSlug: "ci-ephemeral", name: "t-ci" });
    const after = await getTeamOverview(lead, { slug: "payments" });
    expect(after.usage.inUse.clusters).toBe(before.usage.inUse.clusters + 1);
    expect(after.usage.inUse.cpuMillicores).toBe(before.usage.inUse.cpuMillicores + 500);
    // A CI cluster starts without approval: in use, not waiting.
    expect(after.usage.pending).toEqual(before.usage.pending);
    const owner = after.byOwner.find((o) => o.owner.email === "dev.payments@example.com")!;
    expect(owner.clusters.map((c) => c.name)).toContain("t-ci");
    expect(owner.reserved.clusters).toBe(owner.clusters.length);
    expect(after.expiringSoon.map((c) => c.name)).toContain("t-ci"); // 2 h lifetime
    expect(after.expiringSoon.map((c) => c.name)).not.toContain("q-first"); // 72 h
    expect(after.history).toHaveLength(30);
    expect(after.history.at(-1)).toMatchObject({ live: true, clusters: after.usage.inUse.clusters + after.usage.pending.clusters });
    expect(after.canManage).toBe(false);
  });

  it("charts the reconciler's daily usage snapshots", async () => {
    const now = new Date();
    expect(await usageSnapshotSweep(prisma, { now })).toBe(await prisma.team.count());
    await usageSnapshotSweep(prisma, { now });
    const snaps = await prisma.usageSnapshot.findMany({ where: { teamId: teams.payments! } });
    expect(snaps).toHaveLength(1);
    const yesterday = new Date(now.getTime() - 86_400_000);
    await usageSnapshotSweep(prisma, { now: yesterday });
    const overview = await getTeamOverview(await ctxFor("lead.payments@example.com"), { slug: "payments" }, now);
    expect(overview.history.at(-2)).toMatchObject({ live: false, clusters: snaps[0]!.clusters });
  });
});
