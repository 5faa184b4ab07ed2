import { describe, expect, it } from "vitest";
import { mapGroups, readGroupsClaim } from "@/lib/auth/sync-groups";

const cfg = { adminGroup: "vcluster-portal-admins", teamPrefix: "team:" };

describe("mapGroups", () => {
  it("maps the admin group and team groups with roles", () => {
    expect(mapGroups(["team:payments:lead", "team:search", "vcluster-portal-admins", "team:unknown"], cfg)).toEqual({
      isAdmin: true,
      teams: [
        { slug: "payments", role: "LEAD" },
        { slug: "search", role: "MEMBER" },
        { slug: "unknown", role: "MEMBER" },
      ],
      malformed: [],
    });
  });

  it("is not admin without the admin group, and ignores unrelated groups", () => {
    expect(mapGroups(["developers", "everyone", "team-payments"], cfg)).toEqual({ isAdmin: false, teams: [], malformed: [] });
  });

  it("gives LEAD when a team is granted both as member and as lead, in any order", () => {
    expect(mapGroups(["team:payments:lead", "team:payments"], cfg).teams).toEqual([{ slug: "payments", role: "LEAD" }]);
    expect(mapGroups(["team:payments", "team:payments:lead"], cfg).teams).toEqual([{ slug: "payments", role: "LEAD" }]);
  });

  it("accepts Keycloak full group paths and normalises case and whitespace", () => {
    const grants = mapGroups(["/team:Payments:LEAD", " /vcluster-portal-admins "], cfg);
    expect(grants.isAdmin).toBe(true);
    expect(grants.teams).toEqual([{ slug: "payments", role: "LEAD" }]);
  });

  it("reports malformed team groups instead of guessing", () => {
    const grants = mapGroups(["team:", "team:a:owner", "team:a:lead:x", "team:-bad", "team:ok"], cfg);
    expect(grants.teams).toEqual([{ slug: "ok", role: "MEMBER" }]);
    expect(grants.malformed).toEqual(["team:", "team:a:owner", "team:a:lead:x", "team:-bad"]);
  });

  it("uses the configured admin group and prefix", () => {
    const grants = mapGroups(["portal-admins", "vc-payments", "team:search"], { adminGroup: "portal-admins", teamPrefix: "vc-" });
    expect(grants).toEqual({ isAdmin: true, teams: [{ slug: "payments", role: "MEMBER" }], malformed: [] });
  });

  it("does not treat a group that merely contains the admin name as admin", () => {
    expect(mapGroups(["not-vcluster-portal-admins", "vcluster-portal-admins-old"], cfg).isAdmin).toBe(false);
  });

  it("maps an empty list to nothing", () => {
    expect(mapGroups([], cfg)).toEqual({ isAdmin: false, teams: [], malformed: [] });
  });
});

describe("readGroupsClaim", () => {
  it("reads an array claim and drops non-strings", () => {
    expect(readGroupsClaim({ groups: ["a", 1, null, "b"] }, "groups")).toEqual(["a", "b"]);
  });
  it("treats a single string as one group", () => {
    expect(readGroupsClaim({ groups: "team:payments" }, "groups")).toEqual(["team:payments"]);
  });
  it("returns undefined when the claim is absent or not a list", () => {
    expect(readGroupsClaim({}, "groups")).toBeUndefined();
    expect(readGroupsClaim({ groups: null }, "groups")).toBeUndefined();
    expect(readGroupsClaim({ groups: { a: 1 } }, "groups")).toBeUndefined();
    expect(readGroupsClaim(undefined, "groups")).toBeUndefined();
  });
  it("returns an empty list for an empty claim (distinct from absent)", () => {
    expect(readGroupsClaim({ groups: [] }, "groups")).toEqual([]);
  });
  it("follows dotted paths for nested claims, preferring a literal key", () => {
    expect(readGroupsClaim({ realm_access: { roles: ["team:x"] } }, "realm_access.roles")).toEqual(["team:x"]);
    expect(readGroupsClaim({ "a.b": ["lit"], a: { b: ["nested"] } }, "a.b")).toEqual(["lit"]);
  });
});
