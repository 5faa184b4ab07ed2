import { describe, expect, it } from "vitest";
import { type Actor, can, clusterScope } from "./permissions";

const admin: Actor = { id: "a", isAdmin: true, memberships: [] };
const lead: Actor = { id: "l", isAdmin: false, memberships: [{ teamId: "payments", role: "LEAD" }] };
const dev: Actor = { id: "d", isAdmin: false, memberships: [{ teamId: "payments", role: "MEMBER" }] };
const other: Actor = { id: "s", isAdmin: false, memberships: [{ teamId: "search", role: "MEMBER" }] };
const cluster = { teamId: "payments", ownerId: "d" };

describe("permission table", () => {
  it("lets the owner, team members and admins see and download, and nobody from another team", () => {
    for (const a of [admin, lead, dev]) {
      expect(can(a, "cluster.view", { cluster })).toBe(true);
      expect(can(a, "cluster.kubeconfig", { cluster })).toBe(true);
    }
    expect(can(other, "cluster.view", { cluster })).toBe(false);
    expect(can(other, "cluster.kubeconfig", { cluster })).toBe(false);
  });

  it("lets owners, leads and admins operate, but not other members", () => {
    expect(can(dev, "cluster.operate", { cluster })).toBe(true);
    expect(can(lead, "cluster.operate", { cluster })).toBe(true);
    expect(can(admin, "cluster.operate", { cluster })).toBe(true);
    const colleague: Actor = { id: "c", isAdmin: false, memberships: [{ teamId: "payments", role: "MEMBER" }] };
    expect(can(colleague, "cluster.operate", { cluster })).toBe(false);
    expect(can(other, "cluster.operate", { cluster })).toBe(false);
  });

  it("shows who holds credentials to the owner, leads and admins; only leads and admins revoke them", () => {
    const colleague: Actor = { id: "c", isAdmin: false, memberships: [{ teamId: "payments", role: "MEMBER" }] };
    for (const a of [dev, lead, admin]) expect(can(a, "cluster.access.view", { cluster })).toBe(true);
    for (const a of [colleague, other]) expect(can(a, "cluster.access.view", { cluster })).toBe(false);
    for (const a of [lead, admin]) expect(can(a, "cluster.access.revoke", { cluster })).toBe(true);
    for (const a of [dev, colleague, other]) expect(can(a, "cluster.access.revoke", { cluster })).toBe(false);
    const otherLead: Actor = { id: "ol", isAdmin: false, memberships: [{ teamId: "search", role: "LEAD" }] };
    expect(can(otherLead, "cluster.access.revoke", { cluster })).toBe(false);
  });

  it("keeps governance to admins", () => {
    for (const action of ["approval.decide", "template.manage", "host.manage", "audit.view", "cluster.listAll", "team.manage"] as const) {
      expect(can(admin, action)).toBe(true);
      expect(can(lead, action)).toBe(false);
    }
  });

  it("requires membership to request in a team", () => {
    expect(can(dev, "cluster.request", { teamId: "payments" })).toBe(true);
    expect(can(dev, "cluster.request", { teamId: "search" })).toBe(false);
    expect(can(admin, "cluster.request", { teamId: "search" })).toBe(false);
  });

  it("scopes queries to the actor's teams", () => {
    expect(clusterScope(dev)).toEqual({ teamId: { in: ["payments"] } });
    expect(clusterScope(admin)).toEqual({});
  });
});

describe("API tokens in the permission table", () => {
  it("everyone manages their own tokens and nobody else's", () => {
    for (const a of [admin, lead, dev, other]) {
      expect(can(a, "token.manage-own")).toBe(true);
      expect(can(a, "token.manage-own", { token: { userId: a.id } })).toBe(true);
    }
    expect(can(dev, "token.manage-own", { token: { userId: lead.id } })).toBe(false);
    expect(can(lead, "token.manage-own", { token: { userId: dev.id } })).toBe(false);
    // Admins too: a token acts as its owner, so nobody creates one for someone else through "own".
    expect(can(admin, "token.manage-own", { token: { userId: dev.id } })).toBe(false);
  });

  it("only admins manage anyone's", () => {
    expect(can(admin, "token.manage-any")).toBe(true);
    for (const a of [lead, dev, other]) expect(can(a, "token.manage-any")).toBe(false);
  });
});
