import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { Logger } from "@/lib/log";
import type { BackoffOptions } from "./backoff";
import type { HostOpsFactory } from "./host-ops";
import type { Claim, ReleaseResult } from "./queue";

// What a reconcile step is given (StepContext, StepOptions, the Probe) and what it returns (StepOutcome).

export type StepOptions = {
  /** Requeue delay while waiting for the control plane (no busy loop). */
  readyPollMs: number;
  /** Requeue delay while waiting for a namespace to finish terminating. */
  deletePollMs: number;
  /**
   * Requeue delay while waiting for something a synced watch of the host reports (the control plane ready,
   * scaled down, stopped): only a safety net, since the watch makes the cluster due when it happens.
   */
  watchedWaitMs: number;
  /** Failures of unknown kind in a row before the cluster becomes FAILED (transient ones never fail it). */
  maxAttempts: number;
  /** Installed but never ready for this long: FAILED with the reason. */
  readyTimeoutMs: number;
  backoff: BackoffOptions;
  /**
   * Backoff cap for transient errors (host unreachable, helm lock held). Lower than the general cap so a
   * host that comes back is noticed within a minute, not five.
   */
  transientCapMs: number;
};

export const DEFAULT_STEP_OPTIONS: StepOptions = {
  readyPollMs: 1_500,
  deletePollMs: 2_000,
  watchedWaitMs: 30_000,
  maxAttempts: 8,
  readyTimeoutMs: 15 * 60_000,
  backoff: {},
  transientCapMs: 60_000,
};

/** Points in a step right before a side effect, where a Probe may interleave, fail or crash it. */
export type Checkpoint =
  | "observe"
  | "apply-host-objects"
  | "install"
  | "mark-installed"
  | "wake"
  | "mark-ready"
  | "sleep"
  | "remove-workloads"
  | "mark-slept"
  | "mark-drift"
  | "delete"
  | "mark-deleted"
  /** In the worker, after the step, before its verdict is written (crash here = step done, lease never released). */
  | "release";

/**
 * The reconciler's one seam for faults and observation, injected by tests and benchmarks (production passes
 * none). `at` runs before each side effect of a step and before the worker records a verdict: it may wait (to
 * interleave workers), throw (handled like a failure of that operation), or answer "crash": the worker then
 * acts as a process that died there: nothing more is written for the step and its lease runs out.
 */
export type Probe = {
  at?: (point: Checkpoint, clusterId: string) => void | "crash" | Promise<void | "crash">;
  /** A step for this cluster begins / ends on a worker. */
  stepStarted?: (clusterId: string, workerId: string) => void;
  stepFinished?: (clusterId: string, workerId: string) => void;
};

export type StepContext = {
  db: PrismaClient;
  /** The worker holding the lease; every write is guarded by it and the claim's fencing token. */
  owner: string;
  claim: Pick<Claim, "id" | "generation" | "attempts" | "token">;
  hostOps: HostOpsFactory;
  /** Aborted when the lease is lost or the worker stops: cancels kube requests and kills helm at once. */
  signal?: AbortSignal;
  probe?: Probe;
  options?: Partial<StepOptions>;
  log?: Logger;
  now?: () => Date;
};

export type Intent = "run" | "sleep" | "delete" | "none";
export type Outcome = "converged" | "waiting" | "progressed" | "retry" | "failed" | "superseded";

export type StepOutcome =
  | { kind: "release"; intent: Intent; outcome: Outcome; result: ReleaseResult; generation: number; note?: string }
  /** The row is gone or no longer leased by us: nothing to release. */
  | { kind: "lost"; intent: Intent };

