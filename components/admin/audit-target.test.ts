import { describe, expect, it } from "vitest";
import { groupActions } from "./audit-filter";
import { auditTarget } from "./audit-target";

const event = (targetType: string, targetId: string | null, details: unknown, extra: Partial<Parameters<typeof auditTarget>[0]> = {}) => ({
  targetType,
  targetId,
  details: details as never,
  team: null,
  actorEmail: null,
  ...extra,
});

describe("audit targets", () => {
  it("names and links each kind of target by what its details recorded", () => {
    expect(auditTarget(event("cluster", "cm1abcdefghijklmnop", { name: "demo" }))).toEqual({ kind: "cluster", name: "demo", href: "/clusters/cm1abcdefghijklmnop" });
    expect(auditTarget(event("team", "t1", { before: {} }, { team: { slug: "payments", name: "Payments" } }))).toEqual({ kind: "team", name: "Payments", href: "/teams/payments" });
    expect(auditTarget(event("template", "tp1", { template: "sandbox", version: 3 }))).toEqual({ kind: "template", name: "sandbox v3", href: "/admin/templates/sandbox" });
    expect(auditTarget(event("token", "tk1", { name: "ci", userEmail: "dev@example.com" }))).toEqual({ kind: "token", name: "“ci” of dev@example.com", href: "/admin/tokens?owner=dev%40example.com" });
    expect(auditTarget(event("host", "h1", { name: "local" }))).toEqual({ kind: "host", name: "local", href: "/admin/hosts" });
    expect(auditTarget(event("user", "u1", { provider: "oidc" }, { actorEmail: "a@example.com" }))).toEqual({ kind: "account", name: "a@example.com", href: "/admin/audit?actor=a%40example.com" });
    expect(auditTarget(event("user", "u1", { provider: "oidc" }, { actorEmail: "a@example.com", actor: { name: "Ada Admin" } }))).toMatchObject({ kind: "account", name: "Ada Admin" });
  });

  it("falls back to the end of the id when no name was recorded, without a link where there is no page", () => {
    expect(auditTarget(event("cluster", "cm1abcdefghijklmnop", {}))).toEqual({ kind: "cluster", name: "…ijklmnop", href: "/clusters/cm1abcdefghijklmnop" });
    expect(auditTarget(event("team", "cm1abcdefghijklmnop", {}))).toEqual({ kind: "team", name: "…ijklmnop (deleted)" });
    expect(auditTarget(event("template", "cm1abcdefghijklmnop", null))).toEqual({ kind: "template", name: "…ijklmnop" });
  });

  it("groups the action picker's entries by what they act on", () => {
    expect(groupActions(["team.quota.update", "cluster.wake", "cluster.sleep"])).toEqual([
      { kind: "cluster", label: "Cluster", actions: ["cluster.sleep", "cluster.wake"] },
      { kind: "team", label: "Team", actions: ["team.quota.update"] },
    ]);
  });
});
