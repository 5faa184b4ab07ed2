import { recordClusterEvent } from "@/lib/domain/audit";
import { canTransition, nextPhase, type PhaseEvent } from "@/lib/lifecycle/phases";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { ClusterSpec } from "@/lib/kube/cluster-spec";
import { log as rootLog, type Logger } from "@/lib/log";
import { phaseTransitions, workerProvisioningDuration } from "@/lib/metrics/registry";
import { spread } from "./backoff";
import { PermanentError, StepAborted } from "./errors";
import type { HostOps, Observation } from "./host-ops";
import { PARKED_PHASES } from "@/lib/lifecycle/phases";
import { holdsClaim, liveClaimByOther } from "./queue";
import { specFromRow, type ClusterRow } from "@/lib/domain/spec-from-row";
import { DEFAULT_STEP_OPTIONS, type Checkpoint, type Intent, type StepContext, type StepOptions } from "./step-context";

// One reconcile step: load the intent (DB), look at the host (observe), do the next idempotent thing, and
// say when to come back. Level-triggered: nothing is remembered between steps except what the database and
// the host hold, so a step can be cut at any point (crash, lost lease) and the next one — on any worker —
// picks up from what it sees. Timeline events are written "once per episode" by checking the timeline, not
// by remembering that we wrote them.
//
//   desired RUNNING   host objects (SSA) → release (install when absent or intent changed) → wait ready → READY
//   desired SLEEPING  scale to zero (loft.sh/paused) → wait until no control-plane replica is left → remove
//                     the synced workload pods until none is left → SLEEPING
//   desired DELETED   uninstall + delete namespace → wait both gone → DELETED (EXPIRED when the TTL ended it)

/** Events that start a provisioning episode; readiness timeouts count from the latest one. */
const EPISODE_START = ["requested", "approved", "retry-requested", "wake-requested", "drift-detected", "release-installed"];

export type Next =
  | { t: "done"; note?: string }
  | { t: "wait"; ms: number; note: string }
  | { t: "again"; note: string }
  | { t: "superseded" }
  | { t: "degraded"; message: string }
  | { t: "failed"; message: string };


export class Step {
  private readonly o: StepOptions;
  private readonly log: Logger;
  private readonly now: () => Date;
  intent: Intent = "none";

  constructor(
    private readonly ctx: StepContext,
    private row: ClusterRow,
  ) {
    this.o = { ...DEFAULT_STEP_OPTIONS, ...ctx.options };
    this.log = (ctx.log ?? rootLog).child({ clusterId: row.id, cluster: `${row.team.slug}/${row.name}` });
    this.now = ctx.now ?? (() => new Date());
  }

  private get db() {
    return this.ctx.db;
  }

  async checkpoint(name: Checkpoint) {
    if (this.ctx.signal?.aborted) throw this.ctx.signal.reason instanceof StepAborted ? this.ctx.signal.reason : new StepAborted("stopping");
    if ((await this.ctx.probe?.at?.(name, this.row.id)) === "crash") throw new StepAborted("crashed");
    if (this.ctx.signal?.aborted) throw this.ctx.signal.reason instanceof StepAborted ? this.ctx.signal.reason : new StepAborted("stopping");
  }

  /** Compare-and-set on the phase and intent this step decided on, and on our claim (owner + fencing token). */
  private guard(): Prisma.VirtualClusterWhereInput {
    return { id: this.row.id, phase: this.row.phase, generation: this.row.generation, leaseOwner: this.ctx.owner, leaseToken: this.ctx.claim.token };
  }

  /**
   * Runs the writes of `fn` in one transaction that first locks the row under our claim (queue.ts holdsClaim).
   * A stale claim — the cluster was claimed again since this step began, by another worker or by this one —
   * writes nothing: the step stops here (StepAborted "lease-lost"), and the claim's current holder carries on.
   */
  private async fenced<T>(what: string, fn: (tx: Prisma.TransactionClient) => Promise<T>): Promise<T> {
    const holder = { owner: this.ctx.owner, token: this.ctx.claim.token };
    const result = await this.db.$transaction(async (tx) => ((await holdsClaim(tx, this.row.id, holder)) ? { value: await fn(tx) } : null));
    if (result) return result.value;
    this.log.warn({ token: holder.token, write: what }, `stale claim: the cluster was claimed again since this step began (fencing token ${holder.token} is no longer current); refusing to write ${what} and stopping the step`);
    throw new StepAborted("lease-lost");
  }

  async transition(event: PhaseEvent, data: Prisma.VirtualClusterUpdateManyMutationInput, timeline?: { type: string; message: string }): Promise<boolean> {
    const from = this.row.phase;
    const to = nextPhase(from, event);
    const ok = await this.fenced(`phase ${from} → ${to}`, async (tx) => {
      const n = await tx.virtualCluster.updateMany({ where: this.guard(), data: { ...data, phase: to } });
      if (n.count !== 1) return false;
      if (timeline) await recordClusterEvent(tx, this.row.id, timeline.type, timeline.message);
      return true;
    });
    if (ok) {
      if (from !== to) phaseTransitions.inc({ from, to });
      this.log.info({ from, to, event }, `phase ${from} → ${to}`);
      this.row = { ...this.row, phase: to };
    }
    return ok;
  }

  /** A timeline event that should appear once per provisioning episode (since the last drift repair). */
  async eventOnce(type: string, message: string): Promise<void> {
    const drift = await this.db.clusterEvent.findFirst({ where: { clusterId: this.row.id, type: "drift-detected" }, orderBy: { createdAt: "desc" }, select: { createdAt: true } });
    const exists = await this.db.clusterEvent.findFirst({ where: { clusterId: this.row.id, type, ...(drift ? { createdAt: { gt: drift.createdAt } } : {}) }, select: { id: true } });
    if (!exists) await this.fenced(`timeline event ${type}`, (tx) => recordClusterEvent(tx, this.row.id, type, message));
  }

  /** Records that the release is in place for the intent this step read; false when the intent changed. */
  private async markObserved(): Promise<boolean> {
    const n = await this.fenced("observedGeneration", (tx) => tx.virtualCluster.updateMany({ where: this.guard(), data: { observedGeneration: this.row.generation } }));
    return n.count === 1;
  }

  /**
   * For the helm driver: a release left pending-* is abandoned iff no live claim other than ours holds the
   * cluster. Every claim holder kills its helm process when it loses the lease (worker.ts), so with no other
   * live claim nobody is running helm for this release.
   */
  private readonly releaseAbandoned = async () => !(await liveClaimByOther(this.db, this.row.id, { owner: this.ctx.owner, token: this.ctx.claim.token }));

  async run(): Promise<Next> {
    const row = this.row;
    if ((PARKED_PHASES as readonly string[]).includes(row.phase)) return { t: "done", note: `parked in ${row.phase}` };
    if (row.desiredState === "DELETED" || row.phase === "DELETING") {
      this.intent = "delete";
      return this.deleteFlow();
    }
    this.intent = row.desiredState === "SLEEPING" ? "sleep" : "run";
    if (!row.hostCluster) return { t: "failed", message: "The cluster is not placed on a host cluster; ask an admin to approve it again or delete it." };
    const spec = specFromRow(row);
    const ops = this.ctx.hostOps(row.hostCluster, this.ctx.signal);
    return this.intent === "sleep" ? this.sleepFlow(spec, ops) : this.runFlow(spec, ops);
  }

  // ───────────────────────────── running ─────────────────────────────

  private async runFlow(spec: ClusterSpec, ops: HostOps): Promise<Next> {
    const row = this.row;
    await this.checkpoint("observe");
    const obs = await ops.observe(spec, { trustAbsence: this.settingUp() });
    if (obs.namespace === "terminating") return { t: "wait", ms: this.o.deletePollMs, note: `namespace ${spec.namespace} is still terminating from an earlier deletion` };
    if ((row.phase === "READY" || row.phase === "SLEEPING") && vanished(obs)) return this.drift(spec, obs);
    if (row.phase === "SLEEPING") {
      // Intent says run, phase says asleep (set directly in the database): go through PROVISIONING.
      return (await this.transition("wake", {}, { type: "wake-requested", message: "Waking the cluster" })) ? { t: "again", note: "waking" } : { t: "superseded" };
    }
    if (obs.controlPlane?.restoring) return { t: "wait", ms: this.o.deletePollMs, note: "vcluster restore is restoring a snapshot (loft.sh/restoring); leaving the control plane alone" };
    if (obs.controlPlane && (obs.paused || obs.controlPlane.replicas === 0)) {
      await this.checkpoint("wake");
      await ops.wake(spec);
    }
    const placed = await this.converge(spec, ops, obs);
    if (placed) return placed;

    if (!obs.ready) {
      const why = notReadyReason(obs, spec);
      if (row.phase === "READY") return { t: "degraded", message: `The control plane is not ready: ${why}` };
      // A watch reports the control plane becoming ready; the Secret that follows it is not watched (polled).
      const reported = obs.controlPlane !== null && !(obs.controlPlane.readyReplicas >= obs.controlPlane.replicas && obs.controlPlane.replicas > 0);
      const poll = await this.readinessPoll(why);
      return { t: "wait", ms: reported ? this.waitForHost(ops, poll) : poll, note: why };
    }
    if (row.phase !== "READY") {
      await this.checkpoint("mark-ready");
      const now = this.now();
      const first = !row.readyAt;
      const seconds = (now.getTime() - row.createdAt.getTime()) / 1000;
      const ok = await this.transition(
        "ready",
        { readyAt: row.readyAt ?? now, observedGeneration: row.generation, lastError: null },
        first
          ? { type: "ready", message: `Ready on ${row.hostCluster!.name} in ${formatDuration(seconds)} after the request` }
          : { type: "resumed", message: "The control plane is running again" },
      );
      if (!ok) return { t: "superseded" };
      if (first) workerProvisioningDuration.observe({ template: row.templateVersion.template.slug }, seconds);
      return { t: "done", note: "ready" };
    }
    if (row.observedGeneration !== row.generation) await this.markObserved();
    return { t: "done", note: "ready" };
  }

  /**
   * Host objects and release in place for the current intent. Returns a Next when the step must end here
   * (something was just done, or must be waited for), or null when everything is in place.
   *
   * observedGeneration = generation means "installed for this intent"; it is written only after the release
   * was installed AND its timeline events were written, so a step that finds it set (and the StatefulSet
   * present) has nothing to do here — no helm process, no timeline queries per readiness poll.
   */
  private async converge(spec: ClusterSpec, ops: HostOps, obs: Observation): Promise<Next | null> {
    const row = this.row;
    const newIntent = row.generation > row.observedGeneration;
    if (!newIntent && obs.namespace === "present" && obs.controlPlane !== null) return null;

    if (obs.namespace === "absent" || newIntent) {
      await this.checkpoint("apply-host-objects");
      await ops.applyHostObjects(spec);
    }
    const provisioning = row.phase === "PROVISIONING";
    if (provisioning) await this.eventOnce("namespace-created", `Namespace ${spec.namespace} with its quota, limits${spec.isolateNetwork ? " and network isolation" : ""} created on ${row.hostCluster!.name}`);

    // A release lives in its namespace: none can exist where there was no namespace.
    const status = obs.namespace === "absent" ? NO_RELEASE : await ops.releaseStatus(spec);
    const install = !status.installed || !status.ready || newIntent || !obs.controlPlane;
    if (install) {
      await this.checkpoint("install");
      await ops.install(spec, { releaseAbandoned: this.releaseAbandoned, status });
    }
    if (provisioning) await this.eventOnce("release-installed", releaseMessage(spec));
    await this.checkpoint("mark-installed");
    if (!(await this.markObserved())) return { t: "superseded" };
    this.row = { ...row, observedGeneration: row.generation };
    return install ? { t: "wait", ms: this.waitForHost(ops, spread(this.o.readyPollMs)), note: "release installed, waiting for the control plane" } : null;
  }

  /** A new cluster (or a new intent) being set up: a watch saying "no namespace yet" is believed (observe). */
  private settingUp(): boolean {
    return this.row.phase === "PROVISIONING" && this.row.generation > this.row.observedGeneration;
  }

  /**
   * How long to wait for a change on the host: `poll` when nobody tells us, else only the safety net — the
   * host's watch makes the cluster due the moment its control plane changes (host-watches.ts).
   */
  private waitForHost(ops: HostOps, poll: number): number {
    return ops.watched?.() ? Math.max(poll, spread(this.o.watchedWaitMs)) : poll;
  }

  /**
   * Fails the cluster when the current provisioning episode (request, approval, retry, wake, drift repair)
   * has lasted longer than readyTimeoutMs; otherwise returns the delay until the next readiness poll, which
   * grows with the wait (a tenth of the elapsed time, between readyPollMs and 15 s): quick for clusters that
   * come up in seconds, cheap for the ones that take minutes.
   */
  private async readinessPoll(why: string): Promise<number> {
    const start = await this.db.clusterEvent.findFirst({
      where: { clusterId: this.row.id, type: { in: EPISODE_START } },
      orderBy: { createdAt: "desc" },
      select: { createdAt: true },
    });
    const elapsed = this.now().getTime() - (start?.createdAt ?? this.row.createdAt).getTime();
    if (elapsed > this.o.readyTimeoutMs) {
      throw new PermanentError(`The control plane did not become ready within ${formatDuration(this.o.readyTimeoutMs / 1000)}: ${why}`);
    }
    return spread(Math.min(Math.max(this.o.readyPollMs, elapsed / 10), Math.max(this.o.readyPollMs, 15_000)));
  }

  private async drift(spec: ClusterSpec, obs: Observation): Promise<Next> {
    await this.checkpoint("mark-drift");
    const what = obs.namespace === "absent" ? `namespace ${spec.namespace}` : `control plane ${spec.namespace}/${spec.releaseName}`;
    const ok = await this.transition("drift", { lastError: null }, { type: "drift-detected", message: `The ${what} was deleted on the host outside the portal; recreating it` });
    return ok ? { t: "again", note: "drift" } : { t: "superseded" };
  }

  // ───────────────────────────── sleeping ─────────────────────────────

  private async sleepFlow(spec: ClusterSpec, ops: HostOps): Promise<Next> {
    const row = this.row;
    await this.checkpoint("observe");
    const obs = await ops.observe(spec, { trustAbsence: this.settingUp() });
    if (obs.namespace === "terminating") return { t: "wait", ms: this.o.deletePollMs, note: `namespace ${spec.namespace} is still terminating` };
    if (vanished(obs)) {
      if (row.phase === "READY" || row.phase === "SLEEPING") return this.drift(spec, obs);
      // PROVISIONING (new, or repairing drift) with sleep as the goal: put objects and release in place first.
      const placed = await this.converge(spec, ops, obs);
      return placed ?? { t: "wait", ms: this.waitForHost(ops, spread(this.o.readyPollMs)), note: "waiting for the control plane" };
    }
    const cp = obs.controlPlane!;
    if (cp.restoring) return { t: "wait", ms: this.o.deletePollMs, note: "vcluster restore is restoring a snapshot (loft.sh/restoring); leaving the control plane alone" };
    if (!(obs.paused && cp.replicas === 0)) {
      await this.checkpoint("sleep");
      await ops.sleep(spec);
      return { t: "wait", ms: this.waitForHost(ops, spread(this.o.readyPollMs)), note: "scaling the control plane to zero" };
    }
    // As `vcluster pause` does: workload pods go only once no syncer runs, or it would recreate them.
    if (cp.readyReplicas > 0 || cp.podReplicas > 0) return { t: "wait", ms: this.waitForHost(ops, spread(this.o.readyPollMs)), note: "waiting for the control plane pods to stop" };
    await this.checkpoint("remove-workloads");
    const remaining = await ops.removeWorkloadPods(spec);
    if (remaining > 0) return { t: "wait", ms: spread(this.o.readyPollMs), note: `removing ${remaining} workload pod${remaining === 1 ? "" : "s"} of the virtual cluster` };
    if (row.phase !== "SLEEPING" || row.observedGeneration !== row.generation) {
      await this.checkpoint("mark-slept");
      const ok = await this.transition(
        "slept",
        { observedGeneration: row.generation, lastError: null },
        row.phase !== "SLEEPING" ? { type: "slept", message: "The control plane was scaled to zero; its data is kept" } : undefined,
      );
      if (!ok) return { t: "superseded" };
    }
    return { t: "done", note: "sleeping" };
  }

  // ───────────────────────────── deleting ─────────────────────────────

  private async deleteFlow(): Promise<Next> {
    const row = this.row;
    if (row.phase !== "DELETING") {
      if (!canTransition(row.phase, "delete")) return { t: "done", note: `cannot delete from ${row.phase}` };
      return (await this.transition("delete", {})) ? { t: "again", note: "deleting" } : { t: "superseded" };
    }
    if (row.hostCluster) {
      const spec = specFromRow(row, undefined, { forDeletion: true });
      const ops = this.ctx.hostOps(row.hostCluster, this.ctx.signal);
      await this.checkpoint("delete");
      const r = await ops.deleteAll(spec);
      if (!r.gone) return { t: "wait", ms: spread(this.o.deletePollMs), note: `waiting for release ${spec.releaseName} and namespace ${spec.namespace} to be removed` };
    }
    await this.checkpoint("mark-deleted");
    const expired = row.expiredAt !== null;
    const where = row.hostCluster ? ` from ${row.hostCluster.name}` : "";
    const ok = await this.transition(
      expired ? "expired" : "deleted",
      { deletedAt: this.now(), lastError: null },
      expired
        ? { type: "expired", message: `Lifetime ended: the cluster was removed${where}` }
        : { type: "deleted", message: `The cluster was removed${where}` },
    );
    return ok ? { t: "done", note: expired ? "expired" : "deleted" } : { t: "superseded" };
  }

  // ───────────────────────────── failure ─────────────────────────────

  async fail(message: string): Promise<boolean> {
    if (!canTransition(this.row.phase, "fail")) return false;
    return this.transition("fail", { lastError: message }, { type: "failed", message });
  }
}

const NO_RELEASE = { installed: false, ready: false, message: "no release yet" } as const;

function vanished(obs: Observation): boolean {
  return obs.namespace === "absent" || obs.controlPlane === null;
}

function notReadyReason(obs: Observation, spec: ClusterSpec): string {
  if (!obs.controlPlane) return `the control plane ${spec.releaseName} does not exist yet`;
  if (obs.controlPlane.readyReplicas < obs.controlPlane.replicas) return `${obs.controlPlane.readyReplicas}/${obs.controlPlane.replicas} control plane replicas ready`;
  if (!obs.secretExists) return `waiting for the kubeconfig Secret vc-${spec.releaseName}`;
  return "not ready yet";
}

function releaseMessage(spec: ClusterSpec): string {
  return `Helm release ${spec.releaseName} installed (chart ${spec.chart.name} ${spec.chart.version}, Kubernetes ${spec.kubernetesVersion})`;
}

export function formatDuration(seconds: number): string {
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

