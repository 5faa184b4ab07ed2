// Integration: what the home page, the cluster page and the catalog read — scoped per person, on a real
// PostgreSQL. (listMyClusters, getClusterStatus, listCatalog, listMyTeamQuotas, requestFromCatalog.)
import { beforeAll, describe, expect, it } from "vitest";
import { approveRequest } from "@/lib/domain/approve-request";
import { getCatalogTemplate, listCatalog, listMyTeamQuotas, requestFromCatalog, suggestFreeClusterName } from "@/lib/domain/catalog";
import { getClusterStatus } from "@/lib/domain/get-cluster-detail";
import { listMyClusters } from "@/lib/domain/list-my-clusters";
import { rejectRequest } from "@/lib/domain/reject-request";
import { requestCluster } from "@/lib/domain/request-cluster";
import { AppError } from "@/lib/errors";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { actorContext } from "@/scripts/testenv/domain-actors";
import { useTestDatabase } from "@/scripts/testenv/per-file";

const testDb = useTestDatabase({ seeded: true });
const ctxFor = (email: string) => actorContext(prisma, email);
let prisma: PrismaClient;
const teams: Record<string, string> = {};


async function appError(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

beforeAll(async () => {
  prisma = testDb.prisma();
  for (const t of await prisma.team.findMany()) teams[t.slug] = t.id;
  // Room for every cluster this file requests (quota itself is tested in cluster-lifecycle.int.test.ts).
  await prisma.teamQuota.update({ where: { teamId: teams.payments }, data: { maxClusters: 50, cpuMillicores: 100_000, memoryMiB: 200_000 } });
});

describe("the catalog", () => {
  it("lists the seeded templates at their latest version with typed parameters", async () => {
    const catalog = await listCatalog(await ctxFor("dev.payments@example.com"));
    expect(catalog.map((t) => t.slug).sort()).toEqual(["ci-ephemeral", "sandbox", "team-dev"]);
    const sandbox = catalog.find((t) => t.slug === "sandbox")!;
    expect(sandbox).toMatchObject({ approval: "AUTO", cpuMillicores: 1000, memoryMiB: 2048, defaultTtlHours: 8, maxTtlHours: 24 });
    expect(sandbox.parameters.map((p) => p.name)).toEqual(["size", "kubernetesVersion", "ttlHours"]);
    expect((await getCatalogTemplate(await ctxFor("dev.payments@example.com"), "team-dev")).approval).toBe("REQUIRED");
    expect(await appError(getCatalogTemplate(await ctxFor("dev.payments@example.com"), "nope"))).toMatchObject({ code: "NOT_FOUND" });
  });

  it("shows each of the person's teams with role, limits and reserved usage", async () => {
    const quotas = await listMyTeamQuotas(await ctxFor("lead.payments@example.com"));
    expect(quotas).toHaveLength(1);
    expect(quotas[0]).toMatchObject({ teamName: "Payments", role: "LEAD", limits: { clusters: 50, cpuMillicores: 100_000, memoryMiB: 200_000 } });
  });

  it("one click requests a Sandbox with defaults for the first team under a free suggested name", async () => {
    const ctx = await ctxFor("dev.payments@example.com");
    const c = await requestFromCatalog(ctx, { templateSlug: "sandbox" });
    expect(c).toMatchObject({ teamId: teams.payments, ownerId: ctx.actor.id, phase: "PROVISIONING", cpuMillicores: 1000 });
    expect(c.name).toMatch(/^sandbox-[a-z]+-[a-z]+$/);
    expect(c.parameters).toMatchObject({ size: "small", ttlHours: 8, kubernetesVersion: "1.36" });
    const quotas = await listMyTeamQuotas(ctx);
    expect(quotas[0]!.usage).toMatchObject({ inUse: { clusters: 1, cpuMillicores: 1000 }, pending: { clusters: 0 } });
  });

  it("suggests a name the team is not using", async () => {
    const ctx = await ctxFor("dev.payments@example.com");
    await requestCluster(ctx, { teamId: teams.payments!, templateSlug: "ci-ephemeral", name: "ci-amber-otter" });
    // A random source that would pick "amber otter" first: the suggestion must skip it.
    const seq = [0, 0, 0.99, 0.99];
    let i = 0;
    const name = await suggestFreeClusterName(ctx, teams.payments!, "ci", () => seq[i++ % seq.length]!);
    expect(name).not.toBe("ci-amber-otter");
    expect(name).toMatch(/^ci-/);
  });

  it("one click without a team says what to do", async () => {
    const ctx = await ctxFor("dev.payments@example.com");
    const e = await appError(requestFromCatalog({ ...ctx, actor: { ...ctx.actor, memberships: [] } }, { templateSlug: "sandbox" }));
    expect(e).toMatchObject({ code: "PRECONDITION_FAILED" });
    expect(e.message).toMatch(/not in a team/);
  });
});

describe("the home page's list and the cluster page", () => {
  it("lists the person's and their team's clusters, never another team's", async () => {
    const dev = await ctxFor("dev.payments@example.com");
    const lead = await ctxFor("lead.payments@example.com");
    const search = await ctxFor("dev.search@example.com");
    const mine = await requestCluster(dev, { teamId: teams.payments!, templateSlug: "sandbox", name: "list-mine" });
    const leads = await requestCluster(lead, { teamId: teams.payments!, templateSlug: "sandbox", name: "list-leads" });
    const theirs = await requestCluster(search, { teamId: teams.search!, templateSlug: "sandbox", name: "list-theirs" });

    const forDev = await listMyClusters(dev);
    expect(forDev.map((c) => c.id)).toEqual(expect.arrayContaining([mine.id, leads.id]));
    expect(forDev.map((c) => c.id)).not.toContain(theirs.id);
    expect(forDev.find((c) => c.id === mine.id)).toMatchObject({ isMine: true, templateName: "Sandbox", team: { name: "Payments" }, phaseLabel: "Provisioning", ended: false });
    expect(forDev.find((c) => c.id === leads.id)).toMatchObject({ isMine: false, owner: { email: "lead.payments@example.com" } });
    expect((await listMyClusters(search)).map((c) => c.id)).toEqual([theirs.id]);
    // Admins see their own teams here (the full list is the admin area's).
    expect((await listMyClusters(await ctxFor("admin@example.com"))).map((c) => c.id)).not.toContain(mine.id);
  });

  it("shows a cluster to its team with what each person may do, and NOT_FOUND to everyone else", async () => {
    const dev = await ctxFor("dev.payments@example.com");
    const c = await requestCluster(dev, { teamId: teams.payments!, templateSlug: "sandbox", name: "detail-one" });
    const s = await getClusterStatus(dev, c.id);
    expect(s).toMatchObject({ name: "detail-one", phase: "PROVISIONING", activity: "moving", team: { slug: "payments" }, namespace: expect.stringMatching(/^vc-payments-detail-one-[a-z0-9]{5}$/), hostName: "local", kubeconfigFilename: "detail-one.kubeconfig.yaml" });
    expect(s.allowed).toEqual({ sleep: false, wake: false, extend: true, delete: true, retry: false, kubeconfig: false, access: true, revokeAccess: false });
    expect(s.steps.map((x) => [x.key, x.status])).toEqual([["requested", "done"], ["approved", "done"], ["namespace", "current"], ["release", "pending"], ["ready", "pending"]]);
    expect(s.events.map((e) => e.type)).toEqual(["requested"]);
    expect(JSON.parse(JSON.stringify(s))).toEqual(s); // JSON-safe: the API returns it as is

    await prisma.virtualCluster.update({ where: { id: c.id }, data: { phase: "READY" } });
    const ready = await getClusterStatus(dev, c.id);
    expect(ready.allowed).toMatchObject({ sleep: true, kubeconfig: true, delete: true });
    expect(ready.activity).toBe("stable");

    // Another member of the team (a plain member who is not the owner) would see it but not operate; the lead operates.
    const lead = await ctxFor("lead.payments@example.com");
    expect((await getClusterStatus(lead, c.id)).allowed).toMatchObject({ sleep: true, delete: true });
    expect(await appError(getClusterStatus(await ctxFor("dev.search@example.com"), c.id))).toMatchObject({ code: "NOT_FOUND" });
  });

  it("tells the approval story on the timeline: approved by …, rejected: reason", async () => {
    const dev = await ctxFor("dev.payments@example.com");
    const admin = await ctxFor("admin@example.com");
    const a = await requestCluster(dev, { teamId: teams.payments!, templateSlug: "team-dev", name: "story-approved" });
    const pending = await getClusterStatus(dev, a.id);
    expect(pending).toMatchObject({ phase: "PENDING_APPROVAL", activity: "waiting", expiresAt: null });
    expect(pending.steps[1]).toMatchObject({ label: "Approved", status: "current" });
    await approveRequest(admin, { clusterId: a.id });
    const approved = await getClusterStatus(dev, a.id);
    expect(approved.steps[1]).toMatchObject({ status: "done", detail: "Approved by admin@example.com" });
    expect(approved.events.map((e) => e.message)).toContain("Approved by admin@example.com");

    const r = await requestCluster(dev, { teamId: teams.payments!, templateSlug: "team-dev", name: "story-rejected" });
    await rejectRequest(admin, { clusterId: r.id, reason: "Use a Sandbox for this" });
    const rejected = await getClusterStatus(dev, r.id);
    expect(rejected).toMatchObject({ phase: "REJECTED", rejection: "Rejected by admin@example.com: Use a Sandbox for this", activity: "stable" });
    expect(rejected.allowed).toMatchObject({ delete: false, extend: false });
    // Ended clusters stay on the home page for a day, after the live ones.
    const list = await listMyClusters(dev);
    expect(list.find((c) => c.id === r.id)).toMatchObject({ ended: true });
    expect(list.at(-1)!.ended).toBe(true);
  });
});
