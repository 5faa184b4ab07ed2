import { AppError } from "@/lib/errors";
import type { ClusterPhase, DesiredState } from "@/lib/generated/prisma/enums";

// Every phase change goes through here, so the lifecycle is readable in one place:
// PENDING_APPROVAL → PROVISIONING → READY ⇄ SLEEPING → DELETING → DELETED, plus REJECTED, FAILED, EXPIRED.

export type PhaseEvent =
  | "approve"
  | "reject"
  | "ready"
  | "slept"
  | "wake"
  | "fail"
  | "retry"
  | "delete"
  | "deleted"
  | "expired"
  | "drift";

const transitions: Record<PhaseEvent, Partial<Record<ClusterPhase, ClusterPhase>>> = {
  approve: { PENDING_APPROVAL: "PROVISIONING" },
  reject: { PENDING_APPROVAL: "REJECTED" },
  ready: { PROVISIONING: "READY", READY: "READY" },
  slept: { READY: "SLEEPING", PROVISIONING: "SLEEPING", SLEEPING: "SLEEPING" },
  wake: { SLEEPING: "PROVISIONING" },
  fail: { PROVISIONING: "FAILED", READY: "FAILED", SLEEPING: "FAILED", DELETING: "FAILED" },
  retry: { FAILED: "PROVISIONING" },
  delete: { PENDING_APPROVAL: "DELETING", PROVISIONING: "DELETING", READY: "DELETING", SLEEPING: "DELETING", FAILED: "DELETING", DELETING: "DELETING" },
  deleted: { DELETING: "DELETED" },
  expired: { DELETING: "EXPIRED" },
  // Objects vanished from the host behind our back: provision them again.
  drift: { READY: "PROVISIONING", SLEEPING: "PROVISIONING" },
};

const pastTense: Record<PhaseEvent, string> = {
  approve: "approved",
  reject: "rejected",
  ready: "marked ready",
  slept: "put to sleep",
  wake: "woken",
  fail: "marked failed",
  retry: "retried",
  delete: "deleted",
  deleted: "finished deleting",
  expired: "expired",
  drift: "repaired",
};

export function canTransition(from: ClusterPhase, event: PhaseEvent): boolean {
  return transitions[event][from] !== undefined;
}

/** The phase after `event`, or a readable PRECONDITION_FAILED error naming the current phase. */
export function nextPhase(from: ClusterPhase, event: PhaseEvent): ClusterPhase {
  const to = transitions[event][from];
  if (!to) throw new AppError("PRECONDITION_FAILED", `A cluster that is ${phaseLabel(from).toLowerCase()} cannot be ${pastTense[event]}.`);
  return to;
}

export const LIVE_PHASES: ClusterPhase[] = ["PENDING_APPROVAL", "PROVISIONING", "READY", "SLEEPING", "DELETING", "FAILED"];
/** Phases no machine acts on: terminal ones, and those waiting for a person (approval, retry). */
export const PARKED_PHASES = ["DELETED", "REJECTED", "EXPIRED", "PENDING_APPROVAL", "FAILED"] as const;
export const TERMINAL_PHASES: ClusterPhase[] = ["DELETED", "REJECTED", "EXPIRED"];

export function phaseLabel(phase: ClusterPhase): string {
  return {
    PENDING_APPROVAL: "Pending approval",
    PROVISIONING: "Provisioning",
    READY: "Ready",
    SLEEPING: "Sleeping",
    DELETING: "Deleting",
    DELETED: "Deleted",
    REJECTED: "Rejected",
    FAILED: "Failed",
    EXPIRED: "Expired",
  }[phase];
}

/**
 * A cluster's state in words, as people say it: the phase, or what is under way when the intent leads it
 * (a sleeping cluster asked to wake is "Waking", not "Provisioning" again).
 */
export function stateLabel(c: { phase: ClusterPhase; desiredState: DesiredState; readyAt: Date | string | null }): string {
  if (c.phase === "SLEEPING" && c.desiredState === "RUNNING") return "Waking";
  // Woken (or repaired after drift): provisioning again a cluster that was ready before.
  if (c.phase === "PROVISIONING" && c.readyAt !== null && c.desiredState === "RUNNING") return "Waking";
  if (c.phase === "READY" && c.desiredState === "SLEEPING") return "Going to sleep";
  return phaseLabel(c.phase);
}
