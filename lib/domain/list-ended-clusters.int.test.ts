// Integration: a cluster leaves the home page's list once it is gone, and the "Recently ended" view lists it
// with when and by whom it ended, scoped like every list (on a real PostgreSQL).
import { beforeAll, describe, expect, it } from "vitest";
import { deleteCluster } from "@/lib/domain/delete-cluster";
import { getClusterStatus } from "@/lib/domain/get-cluster-detail";
import { listEndedClusters } from "@/lib/domain/list-ended-clusters";
import { listMyClusters } from "@/lib/domain/list-my-clusters";
import { rejectRequest } from "@/lib/domain/reject-request";
import { approveRequest } from "@/lib/domain/approve-request";
import { requestCluster } from "@/lib/domain/request-cluster";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { actorContext } from "@/scripts/testenv/domain-actors";
import { useTestDatabase } from "@/scripts/testenv/per-file";

const testDb = useTestDatabase({ seeded: true });
const ctxFor = (email: string) => actorContext(prisma, email);
let prisma: PrismaClient;
const teams: Record<string, string> = {};
const DAY_MS = 86_400_000;

beforeAll(async () => {
  prisma = testDb.prisma();
  for (const t of await prisma.team.findMany()) teams[t.slug] = t.id;
  for (const slug of ["payments", "search"]) {
    await prisma.teamQuota.update({ where: { teamId: teams[slug] }, data: { maxClusters: 50, cpuMillicores: 100_000, memoryMiB: 200_000 } });
  }
});

/** What the reconciler does once the release and namespace are gone. */
const finishDeletion = (id: string) => prisma.virtualCluster.update({ where: { id }, data: { phase: "DELETED", deletedAt: new Date() } });

describe("ended clusters", () => {
  it("leave the home page's list once gone, and the history says when and by whom they ended", async () => {
    const dev = await ctxFor("dev.payments@example.com");
    const lead = await ctxFor("lead.payments@example.com");
    const admin = await ctxFor("admin@example.com");
    const live = await requestCluster(dev, { teamId: teams.payments!, templateSlug: "sandbox", name: "hist-live" });
    const deleted = await requestCluster(dev, { teamId: teams.payments!, templateSlug: "sandbox", name: "hist-deleted" });
    const byLead = await requestCluster(dev, { teamId: teams.payments!, templateSlug: "sandbox", name: "hist-by-lead" });
    const expired = await requestCluster(dev, { teamId: teams.payments!, templateSlug: "sandbox", name: "hist-expired" });
    const rejected = await requestCluster(dev, { teamId: teams.payments!, templateSlug: "team-dev", name: "hist-rejected" });

    await deleteCluster(dev, { clusterId: deleted.id });
    // While it is being deleted it is still live: the list says "Deleting".
    expect((await listMyClusters(dev, { recentlyEnded: false })).find((c) => c.id === deleted.id)).toMatchObject({ phase: "DELETING" });
    await finishDeletion(deleted.id);
    await deleteCluster(lead, { clusterId: byLead.id });
    await finishDeletion(byLead.id);
    await prisma.virtualCluster.update({ where: { id: expired.id }, data: { phase: "EXPIRED", expiredAt: new Date(), deletedAt: new Date() } });
    await rejectRequest(admin, { clusterId: rejected.id, reason: "Use a Sandbox" });

    const ended = [deleted.id, byLead.id, expired.id, rejected.id];
    const list = (await listMyClusters(dev, { recentlyEnded: false })).map((c) => c.id);
    expect(list).toContain(live.id);
    expect(list.filter((id) => ended.includes(id))).toEqual([]);

    const history = await listEndedClusters(dev);
    expect(history).toMatchObject({ more: false, days: 7 });
    const byId = new Map(history.items.map((c) => [c.id, c]));
    expect([...byId.keys()]).toEqual(expect.arrayContaining(ended));
    expect(byId.has(live.id)).toBe(false);
    expect(byId.get(deleted.id)).toMatchObject({ name: "hist-deleted", phase: "DELETED", phaseLabel: "Deleted", isMine: true, endedBy: { name: "Dana Developer", email: "dev.payments@example.com" } });
    expect(byId.get(byLead.id)).toMatchObject({ endedBy: { email: "lead.payments@example.com" } });
    expect(byId.get(expired.id)).toMatchObject({ phase: "EXPIRED", endedBy: null });
    expect(byId.get(rejected.id)).toMatchObject({ phase: "REJECTED", endedBy: { name: "Ada Admin" }, templateName: "Team dev", team: { slug: "payments" } });
    expect(byId.get(deleted.id)!.endedAt.getTime()).toBeGreaterThan(Date.now() - 60_000);
    // Newest first.
    const times = history.items.map((c) => c.endedAt.getTime());
    expect([...times].sort((a, b) => b - a)).toEqual(times);

    // Capped, and saying so; a week later it has left the history too.
    expect(await listEndedClusters(dev, { limit: 2 })).toMatchObject({ items: [expect.anything(), expect.anything()], more: true });
    expect((await listEndedClusters(dev, { now: new Date(Date.now() + 8 * DAY_MS) })).items).toEqual([]);
  });

  it("is scoped like the lists: the team page shows its team's, nobody sees another team's", async () => {
    const search = await ctxFor("dev.search@example.com");
    const theirs = await requestCluster(search, { teamId: teams.search!, templateSlug: "sandbox", name: "hist-theirs" });
    await deleteCluster(search, { clusterId: theirs.id });
    await finishDeletion(theirs.id);

    const dev = await ctxFor("dev.payments@example.com");
    expect((await listEndedClusters(dev)).items.map((c) => c.id)).not.toContain(theirs.id);
    expect((await listEndedClusters(dev, { teamId: teams.search! })).items).toEqual([]);
    const forTeam = await listEndedClusters(search, { teamId: teams.search! });
    expect(forTeam.items.map((c) => c.id)).toEqual([theirs.id]);
    // Admins see any team's on its page.
    expect((await listEndedClusters(await ctxFor("admin@example.com"), { teamId: teams.search! })).items.map((c) => c.id)).toEqual([theirs.id]);
  });

  it("names the people of the timeline, for pages that show names", async () => {
    const dev = await ctxFor("dev.payments@example.com");
    const c = await requestCluster(dev, { teamId: teams.payments!, templateSlug: "team-dev", name: "hist-names" });
    await approveRequest(await ctxFor("admin@example.com"), { clusterId: c.id });
    const status = await getClusterStatus(dev, c.id);
    expect(status.events.find((e) => e.type === "requested")).toMatchObject({ message: expect.stringContaining("dev.payments@example.com"), people: [{ email: "dev.payments@example.com", name: "Dana Developer" }] });
    expect(status.events.find((e) => e.type === "approved")).toMatchObject({ people: [{ email: "admin@example.com", name: "Ada Admin" }] });
    expect(status.events.find((e) => e.type === "awaiting-approval")).toMatchObject({ people: [] });
  });
});
