// syncGroups against a real PostgreSQL: admin flag, idp vs manual memberships, unknown teams, audit trail.
import { beforeAll, describe, expect, it } from "vitest";
import { syncGroups } from "@/lib/auth/sync-groups";
import { log } from "@/lib/log";
// Aliased: the `use` prefix makes eslint-plugin-react-hooks mistake this vitest helper for a React hook.
import { useTestDatabase as perFileTestDatabase } from "@/scripts/testenv/per-file";

const cfg = { adminGroup: "vcluster-portal-admins", teamPrefix: "team:" };
const quiet = log.child({}, { level: "silent" });

const database = perFileTestDatabase({ seeded: false });
const team: Record<string, string> = {};

beforeAll(async () => {
  for (const slug of ["payments", "search", "platform"]) team[slug] = (await database.prisma().team.create({ data: { slug, name: slug } })).id;
}, 120_000);

const memberships = async (userId: string) =>
  (
    await database.prisma().membership.findMany({ where: { userId }, select: { role: true, source: true, team: { select: { slug: true } } }, orderBy: { team: { slug: "asc" } } })
  ).map((m) => `${m.team.slug}:${m.role}:${m.source}`);

describe("syncGroups", () => {
  it("grants, changes roles, revokes, and leaves manual memberships alone", async () => {
    const user = await database.prisma().user.create({ data: { email: "sync1@example.com" } });
    // A manual LEAD on platform that the IdP also mentions as MEMBER: the manual one stays as it is.
    await database.prisma().membership.create({ data: { userId: user.id, teamId: team.platform!, role: "LEAD", source: "manual" } });

    const first = await syncGroups(database.prisma(), user.id, ["team:payments:lead", "team:search", "team:platform", "vcluster-portal-admins", "team:unknown"], cfg, quiet);
    expect(first).toMatchObject({ isAdmin: true, added: ["payments", "search"], removed: [], unknownTeams: ["unknown"], keptManual: ["platform"] });
    expect(await memberships(user.id)).toEqual(["payments:LEAD:idp", "platform:LEAD:manual", "search:MEMBER:idp"]);
    expect((await database.prisma().user.findUniqueOrThrow({ where: { id: user.id } })).isAdmin).toBe(true);

    // Idempotent: the same claim changes nothing and writes no audit event.
    const auditBefore = await database.prisma().auditEvent.count({ where: { targetId: user.id } });
    const again = await syncGroups(database.prisma(), user.id, ["team:payments:lead", "team:search", "team:platform", "vcluster-portal-admins"], cfg, quiet);
    expect(again).toMatchObject({ added: [], roleChanged: [], removed: [] });
    expect(await database.prisma().auditEvent.count({ where: { targetId: user.id } })).toBe(auditBefore);

    const second = await syncGroups(database.prisma(), user.id, ["team:payments"], cfg, quiet);
    expect(second).toMatchObject({ isAdmin: false, added: [], roleChanged: ["payments"], removed: ["search"] });
    expect(await memberships(user.id)).toEqual(["payments:MEMBER:idp", "platform:LEAD:manual"]);
    expect((await database.prisma().user.findUniqueOrThrow({ where: { id: user.id } })).isAdmin).toBe(false);

    const audit = await database.prisma().auditEvent.findMany({ where: { targetId: user.id, action: "auth.idp_groups_synced" }, orderBy: { createdAt: "asc" } });
    expect(audit).toHaveLength(2);
    expect(audit[1]!.details).toMatchObject({ isAdmin: { before: true, after: false }, removed: ["search"], roleChanged: [{ team: "payments", role: "MEMBER" }] });
  });

  it("treats a missing claim as no groups: revokes idp memberships and admin, keeps manual ones", async () => {
    const user = await database.prisma().user.create({ data: { email: "sync2@example.com", isAdmin: true } });
    await database.prisma().membership.create({ data: { userId: user.id, teamId: team.search!, role: "MEMBER", source: "manual" } });
    await syncGroups(database.prisma(), user.id, ["team:payments"], cfg, quiet);
    const result = await syncGroups(database.prisma(), user.id, undefined, cfg, quiet);
    expect(result).toMatchObject({ isAdmin: false, removed: ["payments"] });
    expect(await memberships(user.id)).toEqual(["search:MEMBER:manual"]);
  });

  it("never touches other users' memberships", async () => {
    const a = await database.prisma().user.create({ data: { email: "sync3a@example.com" } });
    const b = await database.prisma().user.create({ data: { email: "sync3b@example.com" } });
    await syncGroups(database.prisma(), a.id, ["team:payments"], cfg, quiet);
    await syncGroups(database.prisma(), b.id, ["team:payments:lead"], cfg, quiet);
    await syncGroups(database.prisma(), a.id, [], cfg, quiet);
    expect(await memberships(a.id)).toEqual([]);
    expect(await memberships(b.id)).toEqual(["payments:LEAD:idp"]);
  });

  it("is safe when two sign-ins of the same user race", async () => {
    const user = await database.prisma().user.create({ data: { email: "sync4@example.com" } });
    await Promise.all([
      syncGroups(database.prisma(), user.id, ["team:payments", "team:search:lead"], cfg, quiet),
      syncGroups(database.prisma(), user.id, ["team:payments", "team:search:lead"], cfg, quiet),
    ]);
    expect(await memberships(user.id)).toEqual(["payments:MEMBER:idp", "search:LEAD:idp"]);
  });
});
