import { beforeAll, describe, expect, it } from "vitest";
import { approveRequest } from "@/lib/domain/approve-request";
import { deleteCluster } from "@/lib/domain/delete-cluster";
import { extendCluster } from "@/lib/domain/extend-cluster";
import { rejectRequest } from "@/lib/domain/reject-request";
import { requestCluster } from "@/lib/domain/request-cluster";
import { retryCluster } from "@/lib/domain/retry-cluster";
import { sleepCluster } from "@/lib/domain/sleep-cluster";
import { AppError } from "@/lib/errors";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { actorContext, expectAppError } from "@/scripts/testenv/domain-actors";
import { useTestDatabase } from "@/scripts/testenv/per-file";

const testDb = useTestDatabase({ seeded: true });
const ctxFor = (email: string) => actorContext(prisma, email);
let prisma: PrismaClient;
const teams: Record<string, string> = {};



async function counts() {
  return { clusters: await prisma.virtualCluster.count(), audit: await prisma.auditEvent.count(), events: await prisma.clusterEvent.count() };
}

beforeAll(async () => {
  prisma = testDb.prisma();
  for (const t of await prisma.team.findMany()) teams[t.slug] = t.id;
});

describe("requesting a cluster", () => {
  it("creates an auto-approved Sandbox placed on a host, audited and enqueued", async () => {
    const ctx = await ctxFor("dev.payments@example.com");
    const c = await requestCluster(ctx, { teamId: teams.payments!, templateSlug: "sandbox", name: "first-sandbox" });
    expect(c).toMatchObject({ phase: "PROVISIONING", namespace: expect.stringMatching(/^vc-payments-first-sandbox-[a-z0-9]{5}$/), releaseName: "first-sandbox", cpuMillicores: 1000, memoryMiB: 2048 });
    expect(c.hostClusterId).not.toBeNull();
    expect(c.expiresAt!.getTime() - Date.now()).toBeGreaterThan(7.9 * 3600_000);
    const audit = await prisma.auditEvent.findFirstOrThrow({ where: { targetId: c.id } });
    expect(audit).toMatchObject({ action: "cluster.request", actorEmail: "dev.payments@example.com", teamId: teams.payments });
    const row = await prisma.virtualCluster.findUniqueOrThrow({ where: { id: c.id } });
    expect(row.generation).toBe(2);
    expect(row.nextReconcileAt.getTime()).toBeLessThanOrEqual(Date.now());
  });

  it("refuses bad input with readable, per-field errors and writes nothing", async () => {
    const ctx = await ctxFor("dev.payments@example.com");
    const before = await counts();
    await expectAppError(requestCluster(ctx, { teamId: teams.payments!, templateSlug: "sandbox", name: "Not_DNS" }), "VALIDATION", {
      fieldErrors: { name: ["Use lower-case letters, digits and '-'; start with a letter and end with a letter or digit"] },
    });
    await expectAppError(requestCluster(ctx, { teamId: teams.payments!, templateSlug: "sandbox", name: "x".repeat(41) }), "VALIDATION", {
      fieldErrors: { name: ["Name must be at most 40 characters"] },
    });
    await expectAppError(requestCluster(ctx, { teamId: teams.payments!, templateSlug: "no-such-template", name: "ok" }), "NOT_FOUND", { message: 'Template "no-such-template" was not found.' });
    await expectAppError(requestCluster(ctx, { teamId: teams.payments!, templateSlug: "sandbox", templateVersion: 9, name: "ok" }), "NOT_FOUND");
    await expectAppError(requestCluster(ctx, { teamId: teams.payments!, templateSlug: "sandbox", name: "ok", parameters: { ttlHours: 99 } }), "VALIDATION", {
      fieldErrors: { "parameters.ttlHours": ["Lifetime (hours) must be at most 24"] },
    });
    // Every field at once, not one error per attempt.
    await expectAppError(requestCluster(ctx, { teamId: teams.payments!, templateSlug: "sandbox", name: "X", parameters: { ttlHours: 0, size: "huge" } }), "VALIDATION", {
      fieldErrors: {
        name: ["Use lower-case letters, digits and '-'; start with a letter and end with a letter or digit"],
        "parameters.ttlHours": ["Lifetime (hours) must be at least 1"],
        "parameters.size": ["Size must be one of small, medium"],
      },
    });
    await expectAppError(requestCluster(ctx, { teamId: teams.payments!, templateSlug: "sandbox", name: "ok", parameters: { colour: "red" } }), "VALIDATION");
    await expectAppError(requestCluster(ctx, { teamId: teams.payments!, templateSlug: "sandbox", name: "first-sandbox" }), "CONFLICT", {
      fieldErrors: { name: ['"first-sandbox" is already used by a cluster of Payments'] },
    });
    expect(await counts()).toEqual(before);
  });

  it("refuses requests for a team the person does not belong to", async () => {
    const search = await ctxFor("dev.search@example.com");
    await expectAppError(requestCluster(search, { teamId: teams.payments!, templateSlug: "sandbox", name: "intruder" }), "FORBIDDEN");
  });

  it("stops at the team's quota, even under concurrent requests", async () => {
    const ctx = await ctxFor("dev.payments@example.com");
    // payments: 5 clusters, 8 CPU. One sandbox (1 CPU) exists; medium sandboxes take 2 CPU each.
    await requestCluster(ctx, { teamId: teams.payments!, templateSlug: "sandbox", name: "medium-1", parameters: { size: "medium" } });
    await requestCluster(ctx, { teamId: teams.payments!, templateSlug: "sandbox", name: "medium-2", parameters: { size: "medium" } });
    await requestCluster(ctx, { teamId: teams.payments!, templateSlug: "sandbox", name: "medium-3", parameters: { size: "medium" } });
    // 7 CPU used, 1 left: two racing 1-CPU requests, only one may win.
    const results = await Promise.allSettled([
      requestCluster(ctx, { teamId: teams.payments!, templateSlug: "sandbox", name: "race-a" }),
      requestCluster(ctx, { teamId: teams.payments!, templateSlug: "sandbox", name: "race-b" }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const failure = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(failure.reason).toMatchObject({ code: "QUOTA_EXCEEDED" });
    expect((failure.reason as AppError).message).toMatch(/exceeds your team's quota/);
    await expectAppError(requestCluster(ctx, { teamId: teams.payments!, templateSlug: "ci-ephemeral", name: "one-too-many" }), "QUOTA_EXCEEDED", {
      message: "This request exceeds your team's quota for clusters (5 of 5 in use), CPU (0.5 CPU requested, 0 CPU left), memory (1 GiB requested, 0 GiB left).",
    });
  });
});

describe("lifecycle", () => {
  it("sends Team dev to approval; only admins decide, with a reason for rejections", async () => {
    const dev = await ctxFor("dev.search@example.com");
    const lead = await ctxFor("lead.payments@example.com");
    const admin = await ctxFor("admin@example.com");
    const c = await requestCluster(dev, { teamId: teams.search!, templateSlug: "team-dev", name: "search-dev" });
    expect(c).toMatchObject({ phase: "PENDING_APPROVAL", hostClusterId: null, expiresAt: null, cpuMillicores: 2000, memoryMiB: 4096 });
    await expectAppError(approveRequest(lead, { clusterId: c.id }), "FORBIDDEN");
    await expectAppError(rejectRequest(admin, { clusterId: c.id, reason: "" }), "VALIDATION", { fieldErrors: { reason: ["Say why, so the requester can act on it"] } });
    const approved = await approveRequest(admin, { clusterId: c.id, reason: "ok for Q4" });
    expect(approved.phase).toBe("PROVISIONING");
    expect(approved.hostClusterId).not.toBeNull();
    expect(approved.expiresAt).not.toBeNull();
    await expectAppError(approveRequest(admin, { clusterId: c.id }), "PRECONDITION_FAILED", { message: "This request is no longer waiting for approval (it is provisioning)." });
    const decision = await prisma.approvalDecision.findFirstOrThrow({ where: { clusterId: c.id } });
    expect(decision).toMatchObject({ decision: "APPROVED", reason: "ok for Q4", deciderId: admin.actor.id });

    const other = await requestCluster(dev, { teamId: teams.search!, templateSlug: "team-dev", name: "search-dev-2" });
    const rejected = await rejectRequest(admin, { clusterId: other.id, reason: "use a Sandbox" });
    expect(rejected.phase).toBe("REJECTED");
    const events = await prisma.clusterEvent.findMany({ where: { clusterId: other.id }, orderBy: { createdAt: "asc" } });
    expect(events.map((e) => e.type)).toEqual(["requested", "awaiting-approval", "rejected"]);
    expect(events[2]!.message).toBe("Rejected by admin@example.com: use a Sandbox");
  });

  it("hides other teams' clusters as not found and lets only owners, leads and admins operate", async () => {
    const owner = await ctxFor("dev.payments@example.com");
    const search = await ctxFor("dev.search@example.com");
    const lead = await ctxFor("lead.payments@example.com");
    const c = await prisma.virtualCluster.findFirstOrThrow({ where: { name: "first-sandbox" } });
    await expectAppError(deleteCluster(search, { clusterId: c.id }), "NOT_FOUND", { message: "Cluster was not found." });
    await expectAppError(sleepCluster(owner, { clusterId: c.id }), "PRECONDITION_FAILED", { message: "Only a ready cluster can be put to sleep." });
    await expectAppError(retryCluster(owner, { clusterId: c.id }), "PRECONDITION_FAILED");
    await expectAppError(extendCluster(owner, { clusterId: c.id, hours: 100 }), "VALIDATION");
    const extended = await extendCluster(owner, { clusterId: c.id, hours: 2 });
    expect(extended.expiresAt!.getTime()).toBeGreaterThan(c.expiresAt!.getTime() + 1.9 * 3600_000);
    const deleting = await deleteCluster(lead, { clusterId: c.id });
    expect(deleting).toMatchObject({ phase: "DELETING", desiredState: "DELETED" });
    const actions = (await prisma.auditEvent.findMany({ where: { targetId: c.id }, orderBy: { createdAt: "asc" } })).map((a) => a.action);
    expect(actions).toEqual(["cluster.request", "cluster.extend", "cluster.delete"]);
  });
});
