import { log as rootLog } from "@/lib/log";
import { DEFAULT_BACKOFF, backoffMs } from "./backoff";
import { StepAborted, classifyError } from "./errors";
import { CLUSTER_SPEC_INCLUDE } from "@/lib/domain/spec-from-row";
import type { ReleaseResult } from "./queue";
import { Step, type Next } from "./cluster-step";
import { DEFAULT_STEP_OPTIONS, type Outcome, type StepContext, type StepOutcome } from "./step-context";

// The verdict of one reconcile step (cluster-step.ts does the work): when to come back, how many failures in
// a row, what people read in lastError — or FAILED. Errors are classified by errors.ts (docs/reconciler.md).

/**
 * Runs one step for a claimed cluster. Never throws for errors of the cluster (they become backoff or
 * FAILED); rethrows StepAborted, which the worker handles.
 */
export async function reconcileCluster(ctx: StepContext): Promise<StepOutcome> {
  const o = { ...DEFAULT_STEP_OPTIONS, ...ctx.options };
  const row = await ctx.db.virtualCluster.findUnique({ where: { id: ctx.claim.id }, include: CLUSTER_SPEC_INCLUDE });
  if (!row || row.leaseOwner !== ctx.owner || row.leaseToken !== ctx.claim.token) return { kind: "lost", intent: "none" };
  const step = new Step(ctx, row);
  const release = (outcome: Outcome, result: ReleaseResult, note?: string): StepOutcome => ({ kind: "release", intent: step.intent, outcome, result, generation: row.generation, note });

  let next: Next;
  try {
    next = await step.run();
  } catch (e) {
    if (e instanceof StepAborted) throw e;
    // A cancelled request or killed helm surfaces as the library's own error: the abort is what happened.
    if (ctx.signal?.aborted) throw ctx.signal.reason instanceof StepAborted ? ctx.signal.reason : new StepAborted("stopping");
    const c = classifyError(e);
    const attempts = row.attempts + 1;
    const log = (ctx.log ?? rootLog).child({ clusterId: row.id });
    if (c.class === "permanent" || (c.class === "unknown" && attempts >= o.maxAttempts)) {
      log.warn({ err: c.message, class: c.class, attempts }, "reconcile failed; marking the cluster FAILED");
      const message = c.class === "permanent" ? c.message : `${c.message} (gave up after ${attempts} attempts)`;
      if (await step.fail(message)) return release("failed", { requeueAfterMs: null, attempts, lastError: message });
      // Not failable from this phase, or the intent changed meanwhile: try again soon.
      return release("retry", { requeueAfterMs: backoffMs(attempts, o.backoff), attempts, lastError: message });
    }
    const cap = Math.min(o.backoff.capMs ?? DEFAULT_BACKOFF.capMs, c.class === "transient" ? o.transientCapMs : Infinity);
    const delay = backoffMs(attempts, { ...o.backoff, capMs: cap });
    log.info({ err: c.message, class: c.class, attempts, retryInMs: delay }, "reconcile step failed; retrying with backoff");
    return release("retry", { requeueAfterMs: delay, attempts, lastError: c.message });
  }

  switch (next.t) {
    case "done":
      return release("converged", { requeueAfterMs: null, attempts: 0, lastError: null }, next.note);
    case "wait":
      return release("waiting", { requeueAfterMs: next.ms, attempts: 0, lastError: null }, next.note);
    case "again":
      return release("progressed", { requeueAfterMs: 0, attempts: 0, lastError: null }, next.note);
    case "superseded":
      return release("superseded", { requeueAfterMs: 0, attempts: row.attempts }, "intent changed during the step");
    case "degraded": {
      const attempts = row.attempts + 1;
      return release("retry", { requeueAfterMs: backoffMs(attempts, o.backoff), attempts, lastError: next.message });
    }
    case "failed": {
      const attempts = row.attempts + 1;
      if (await step.fail(next.message)) return release("failed", { requeueAfterMs: null, attempts, lastError: next.message });
      return release("retry", { requeueAfterMs: backoffMs(attempts, o.backoff), attempts, lastError: next.message });
    }
  }
}
