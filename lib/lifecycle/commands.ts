import { type Action, type Actor, can } from "@/lib/authz/permissions";
import { AppError } from "@/lib/errors";
import type { ClusterPhase, DesiredState } from "@/lib/generated/prisma/enums";
import { type LifetimeLimits, extendLimit, extendableHours } from "@/lib/lifecycle/lifetime";
import { canTransition, phaseLabel } from "@/lib/lifecycle/phases";

// When each command a person can give a cluster is possible. The use cases refuse with these reasons,
// the cluster page and the API derive what to offer from the same functions, so they cannot disagree.

export type Verdict = { ok: true } | { ok: false; reason: string };

export type LifecycleCluster = {
  phase: ClusterPhase;
  desiredState: DesiredState;
  expiresAt: Date | null;
  teamId: string;
  ownerId: string;
};

export const COMMANDS = ["sleep", "wake", "extend", "delete", "retry", "kubeconfig", "approve", "reject"] as const;
export type Command = (typeof COMMANDS)[number];

const ok: Verdict = { ok: true };
const no = (reason: string): Verdict => ({ ok: false, reason });
const lower = (phase: ClusterPhase) => phaseLabel(phase).toLowerCase();

export function canSleep(c: LifecycleCluster): Verdict {
  if (c.phase === "READY" && c.desiredState === "SLEEPING") return no("The cluster is already going to sleep.");
  if (c.phase !== "READY" || c.desiredState !== "RUNNING") return no("Only a ready cluster can be put to sleep.");
  return ok;
}

export function canWake(c: LifecycleCluster): Verdict {
  if (c.phase !== "SLEEPING") return no(`Only a sleeping cluster can be woken; this one is ${lower(c.phase)}.`);
  if (c.desiredState === "RUNNING") return no("The cluster is already waking up.");
  return ok;
}

/** Extending needs a live expiry and at least one whole hour left under the template's and the team's maximum. */
export function canExtend(c: LifecycleCluster, limits: LifetimeLimits, now: number): Verdict {
  if (!["READY", "SLEEPING", "PROVISIONING"].includes(c.phase) || !c.expiresAt) return no("Only a running or sleeping cluster can be extended.");
  if (extendableHours(c.expiresAt, limits, now) < 1) {
    const { by, maxHours } = extendLimit(limits, now);
    return no(`The cluster already lives as long as ${by === "team" ? "your team's" : "the template's"} maximum lifetime allows (${maxHours} hours from now).`);
  }
  return ok;
}

export function canDelete(c: LifecycleCluster): Verdict {
  if (c.desiredState === "DELETED" && c.phase !== "FAILED") return no("The cluster is already being deleted.");
  if (!canTransition(c.phase, "delete")) return no(`A cluster that is ${lower(c.phase)} cannot be deleted.`);
  return ok;
}

export function canRetry(c: LifecycleCluster): Verdict {
  return c.phase === "FAILED" ? ok : no("Only a failed cluster can be retried.");
}

export function canDownloadKubeconfig(c: LifecycleCluster): Verdict {
  return c.phase === "READY" ? ok : no(`The cluster is ${lower(c.phase)}; its kubeconfig can be downloaded once it is ready.`);
}

export function canDecideApproval(c: LifecycleCluster): Verdict {
  return c.phase === "PENDING_APPROVAL" ? ok : no(`This request is no longer waiting for approval (it is ${lower(c.phase)}).`);
}

/** Throws the verdict's reason as a PRECONDITION_FAILED the person can read. */
export function mustBe(verdict: Verdict): void {
  if (!verdict.ok) throw new AppError("PRECONDITION_FAILED", verdict.reason);
}

const permissionOf: Record<Command, Action> = {
  sleep: "cluster.operate",
  wake: "cluster.operate",
  extend: "cluster.operate",
  delete: "cluster.operate",
  retry: "cluster.operate",
  kubeconfig: "cluster.kubeconfig",
  approve: "approval.decide",
  reject: "approval.decide",
};

const refusal: Partial<Record<Action, string>> = {
  "cluster.operate": "Only the cluster's owner, a lead of its team or an admin can do that.",
  "cluster.kubeconfig": "Only members of the cluster's team can download its kubeconfig.",
  "approval.decide": "Only admins can approve or reject requests.",
};

export const permissionFor = (command: Command): Action => permissionOf[command];

/** Whether `actor` may give `command` to `c` now: the permission table and the lifecycle both allow it. */
export function decide(actor: Actor, command: Command, c: LifecycleCluster, limits: LifetimeLimits, now: number): Verdict {
  if (!can(actor, permissionOf[command], { cluster: c })) return no(refusal[permissionOf[command]] ?? "You are not allowed to do that.");
  switch (command) {
    case "sleep":
      return canSleep(c);
    case "wake":
      return canWake(c);
    case "extend":
      return canExtend(c, limits, now);
    case "delete":
      return canDelete(c);
    case "retry":
      return canRetry(c);
    case "kubeconfig":
      return canDownloadKubeconfig(c);
    case "approve":
    case "reject":
      return canDecideApproval(c);
  }
}

/** Every command at once, as the cluster page and the API offer them. */
export function allowedCommands(actor: Actor, c: LifecycleCluster, limits: LifetimeLimits, now: number): Record<Command, boolean> {
  return Object.fromEntries(COMMANDS.map((command) => [command, decide(actor, command, c, limits, now).ok])) as Record<Command, boolean>;
}
