import { describe, expect, it } from "vitest";
import type { Actor } from "@/lib/authz/permissions";
import type { ClusterPhase, DesiredState } from "@/lib/generated/prisma/enums";
import { COMMANDS, type Command, type LifecycleCluster, allowedCommands, decide } from "./commands";

const now = Date.UTC(2026, 0, 1, 12);
const H = 3600_000;
const limits = { templateMaxHours: 24, templateName: "Sandbox", teamMaxHours: null };

// What the lifecycle allows, for someone the permission table lets do everything (Y = allowed).
//                                   sleep wake extend delete retry kubeconfig approve reject
const byPhase: [ClusterPhase, DesiredState, string][] = [
  ["PENDING_APPROVAL", "RUNNING",   " .    .    .      Y      .     .          Y       Y"],
  ["PROVISIONING",     "RUNNING",   " .    .    Y      Y      .     .          .       ."],
  ["READY",            "RUNNING",   " Y    .    Y      Y      .     Y          .       ."],
  ["READY",            "SLEEPING",  " .    .    Y      Y      .     Y          .       ."],
  ["SLEEPING",         "SLEEPING",  " .    Y    Y      Y      .     .          .       ."],
  ["SLEEPING",         "RUNNING",   " .    .    Y      Y      .     .          .       ."],
  ["DELETING",         "DELETED",   " .    .    .      .      .     .          .       ."],
  ["FAILED",           "RUNNING",   " .    .    .      Y      Y     .          .       ."],
  ["FAILED",           "DELETED",   " .    .    .      Y      Y     .          .       ."],
  ["DELETED",          "DELETED",   " .    .    .      .      .     .          .       ."],
  ["REJECTED",         "DELETED",   " .    .    .      .      .     .          .       ."],
  ["EXPIRED",          "DELETED",   " .    .    .      .      .     .          .       ."],
];

const TEAM = "team-a";
const actors: Record<string, Actor> = {
  owner: { id: "owner", isAdmin: false, memberships: [{ teamId: TEAM, role: "MEMBER" }] },
  member: { id: "member", isAdmin: false, memberships: [{ teamId: TEAM, role: "MEMBER" }] },
  lead: { id: "lead", isAdmin: false, memberships: [{ teamId: TEAM, role: "LEAD" }] },
  admin: { id: "admin", isAdmin: true, memberships: [] },
  otherTeam: { id: "stranger", isAdmin: false, memberships: [{ teamId: "team-b", role: "LEAD" }] },
};

// Which commands each actor's permissions allow at all (the shared table in lib/authz/permissions.ts).
const permitted: Record<string, Command[]> = {
  owner: ["sleep", "wake", "extend", "delete", "retry", "kubeconfig"],
  member: ["kubeconfig"],
  lead: ["sleep", "wake", "extend", "delete", "retry", "kubeconfig"],
  admin: [...COMMANDS],
  otherTeam: [],
};

const cluster = (phase: ClusterPhase, desiredState: DesiredState): LifecycleCluster => ({
  phase,
  desiredState,
  expiresAt: phase === "PENDING_APPROVAL" ? null : new Date(now + 8 * H),
  teamId: TEAM,
  ownerId: "owner",
});

describe("the lifecycle table: phase × command × actor", () => {
  for (const [phase, desired, row] of byPhase) {
    const marks = row.trim().split(/\s+/);
    for (const [actorName, actor] of Object.entries(actors)) {
      it(`${phase}/${desired} for the ${actorName}`, () => {
        const c = cluster(phase, desired);
        const expected = Object.fromEntries(COMMANDS.map((cmd, i) => [cmd, marks[i] === "Y" && permitted[actorName]!.includes(cmd)]));
        expect(allowedCommands(actor, c, limits, now)).toEqual(expected);
      });
    }
  }
});

describe("refusals say why", () => {
  it("names the lifecycle reason for someone allowed to act", () => {
    const owner = actors.owner!;
    expect(decide(owner, "sleep", cluster("READY", "SLEEPING"), limits, now)).toEqual({ ok: false, reason: "The cluster is already going to sleep." });
    expect(decide(owner, "wake", cluster("SLEEPING", "RUNNING"), limits, now)).toEqual({ ok: false, reason: "The cluster is already waking up." });
    expect(decide(owner, "wake", cluster("READY", "RUNNING"), limits, now)).toMatchObject({ reason: "Only a sleeping cluster can be woken; this one is ready." });
    expect(decide(owner, "delete", cluster("DELETING", "DELETED"), limits, now)).toMatchObject({ reason: "The cluster is already being deleted." });
    expect(decide(owner, "kubeconfig", cluster("PROVISIONING", "RUNNING"), limits, now)).toMatchObject({ reason: expect.stringMatching(/provisioning; its kubeconfig can be downloaded once it is ready/) });
  });

  it("names the permission for someone who may not", () => {
    expect(decide(actors.member!, "sleep", cluster("READY", "RUNNING"), limits, now)).toMatchObject({ ok: false, reason: expect.stringMatching(/owner, a lead of its team or an admin/) });
    expect(decide(actors.lead!, "approve", cluster("PENDING_APPROVAL", "RUNNING"), limits, now)).toMatchObject({ ok: false, reason: "Only admins can approve or reject requests." });
  });

  it("does not offer an extension once the maximum lifetime is reached, and says which maximum", () => {
    const atTeamMax = { ...cluster("READY", "RUNNING"), expiresAt: new Date(now + 10 * H) };
    expect(decide(actors.owner!, "extend", atTeamMax, { ...limits, teamMaxHours: 10 }, now)).toEqual({
      ok: false,
      reason: "The cluster already lives as long as your team's maximum lifetime allows (10 hours from now).",
    });
    expect(decide(actors.owner!, "extend", atTeamMax, limits, now).ok).toBe(true);
  });
});
