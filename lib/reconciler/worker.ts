import { randomBytes } from "node:crypto";
import type http from "node:http";
import { hostname } from "node:os";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { log as rootLog, type Logger } from "@/lib/log";
import { reconcileClaimLatency, reconcileInflight, reconcileStepDuration, reconcileSteps } from "@/lib/metrics/registry";
import { backoffMs } from "./backoff";
import { StepAborted } from "./errors";
import { kubeHostOpsWith, type HostOpsFactory } from "./host-ops";
import type { HostWatches } from "./host-watches";
import { keepLease, type LeaseKeeper } from "./lease-keeper";
import { closeServer, metricsAddress, serveMetrics } from "./metrics-server";
import { claimDue, msUntilNextDue, ReconcileListener, releaseAllOf, releaseClaim, type Claim } from "./queue";
import { reconcileCluster } from "./reconcile-cluster";
import type { Probe, StepOptions } from "./step-context";
import { DEFAULT_SWEEPS, SweepScheduler, type SweepIntervals } from "./sweep-scheduler";

// The reconciler loop: claim due clusters (up to `concurrency` at once), run one step each while renewing
// the lease, release with the step's verdict, sleep until the next row is due or a NOTIFY arrives. Any number
// of workers may share one database; the lease makes each cluster's steps strictly sequential.

export type WorkerOptions = {
  db: PrismaClient;
  /** For LISTEN and sweep locks (a dedicated pg connection); without it the worker only polls. */
  databaseUrl?: string;
  id?: string;
  concurrency?: number;
  leaseSeconds?: number;
  /** Longest idle wait between polls when nothing is scheduled and no NOTIFY arrives. */
  pollMs?: number;
  /** Default: lib/kube, reading namespaces and control planes from `hostWatches` where they are synced. */
  hostOps?: HostOpsFactory;
  /**
   * The process's watches of its hosts (shared by every Worker of the process; started and stopped by whoever
   * made them). Without them steps poll the host for readiness, sleep and deletion.
   */
  hostWatches?: HostWatches;
  probe?: Probe;
  step?: Partial<StepOptions>;
  /** Orphaned namespaces are removed this long after they were found; default 60. */
  orphanGraceMinutes?: number;
  /** Pending requests older than this are rejected (0 = never); default 168. */
  approvalTimeoutHours?: number;
  /** false disables the periodic sweeps (e.g. tests that run them by hand). */
  sweeps?: Partial<SweepIntervals> | false;
  /** Serve the process's metrics on this port (0 = off). */
  metricsPort?: number;
  /** ...on this interface; loopback unless set (WORKER_METRICS_HOST). */
  metricsHost?: string;
  log?: Logger;
};

/**
 * A worker id unique to this process: leases are released by owner, so two replicas sharing one id (a fixed
 * WORKER_ID in a Deployment) would release each other's leases on shutdown. WORKER_ID is only a readable prefix.
 */
export function defaultWorkerId(prefix?: string): string {
  return `${prefix ? `${prefix}-` : ""}${hostname()}-${process.pid}-${randomBytes(3).toString("hex")}`;
}

type Inflight = { claim: Claim; lease: LeaseKeeper; done: Promise<void> };

export class Worker {
  readonly id: string;
  private readonly db: PrismaClient;
  private readonly concurrency: number;
  private readonly leaseSeconds: number;
  private readonly pollMs: number;
  private readonly hostOps: HostOpsFactory;
  private readonly log: Logger;
  private readonly inflight = new Map<string, Inflight>();
  private listener: ReconcileListener | null = null;
  private metricsServer: http.Server | null = null;
  private sweeps: SweepScheduler | null = null;
  private loopDone: Promise<void> | null = null;
  private wakeUp: (() => void) | null = null;
  private pendingWake = false;
  private state: "new" | "running" | "stopping" | "stopped" | "killed" = "new";
  /** Steps run since start, by outcome (handy in tests and logs). */
  readonly stats = { steps: 0, claims: 0, crashes: 0 };

  constructor(private readonly opts: WorkerOptions) {
    this.db = opts.db;
    this.id = opts.id ?? defaultWorkerId();
    this.concurrency = Math.max(1, opts.concurrency ?? 4);
    this.leaseSeconds = Math.max(1, opts.leaseSeconds ?? 60);
    this.pollMs = Math.max(50, opts.pollMs ?? 5_000);
    this.hostOps = opts.hostOps ?? kubeHostOpsWith(opts.hostWatches);
    this.log = (opts.log ?? rootLog).child({ workerId: this.id });
  }

  get running(): boolean {
    return this.state === "running";
  }

  /** Where the metrics are served, e.g. http://127.0.0.1:9464/metrics (the interface actually bound). */
  get metricsAddress(): string | null {
    return metricsAddress(this.metricsServer);
  }

  async start(): Promise<void> {
    if (this.state !== "new") throw new Error(`worker ${this.id} was already started`);
    this.state = "running";
    if (this.opts.databaseUrl) {
      this.listener = new ReconcileListener({ connectionString: this.opts.databaseUrl, onNotify: () => this.kick(), onConnect: () => this.kick() });
      await this.listener.start();
    }
    if (this.opts.metricsPort) {
      // Another worker on this machine may hold the port (npm start + npm run worker): run without it.
      this.metricsServer = await serveMetrics(this.opts.metricsPort, this.opts.metricsHost ?? "127.0.0.1", this.log).catch((e: Error) => {
        this.log.warn({ port: this.opts.metricsPort, err: e.message }, "cannot serve worker metrics on this port (set WORKER_METRICS_PORT to another port, or 0); continuing without");
        return null;
      });
    }
    if (this.opts.sweeps !== false) {
      const { db, hostOps, log, opts } = this;
      this.sweeps = new SweepScheduler({ db, hostOps, log, databaseUrl: opts.databaseUrl, orphanGraceMinutes: opts.orphanGraceMinutes, approvalTimeoutHours: opts.approvalTimeoutHours });
      this.sweeps.start({ ...DEFAULT_SWEEPS, ...(opts.sweeps ?? {}) });
    }
    this.loopDone = this.loop();
    this.log.info({ concurrency: this.concurrency, leaseSeconds: this.leaseSeconds, listen: Boolean(this.listener) }, "reconciler worker started");
  }

  /** Wake the loop now (a NOTIFY arrived, a step finished). */
  kick(): void {
    if (this.wakeUp) {
      const w = this.wakeUp;
      this.wakeUp = null;
      w();
    } else {
      this.pendingWake = true;
    }
  }

  private idle(ms: number): Promise<void> {
    if (this.pendingWake) {
      this.pendingWake = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.wakeUp = null;
        resolve();
      }, ms);
      this.wakeUp = () => {
        clearTimeout(t);
        resolve();
      };
    });
  }

  private async loop(): Promise<void> {
    let dbFailures = 0;
    while (this.state === "running") {
      try {
        const free = this.concurrency - this.inflight.size;
        let claimed = 0;
        if (free > 0) {
          const claims = await claimDue(this.db, { owner: this.id, limit: free, leaseSeconds: this.leaseSeconds });
          claimed = claims.length;
          for (const c of claims) {
            // Our own lease can run out while a step waits on an unreachable database; claiming the cluster
            // again must not start a second step of it beside the first. The new claim fenced the old step out
            // (its token is stale): end it now, and hand the cluster back for a fresh step shortly.
            const running = this.inflight.get(c.id);
            if (running) {
              this.log.warn({ clusterId: c.id, token: c.token }, "claimed a cluster this worker is still reconciling under an older claim; aborting that step and requeueing");
              running.lease.abort(new StepAborted("lease-lost"));
              await releaseClaim(this.db, c, this.id, { requeueAfterMs: 1_000, attempts: c.attempts });
            } else this.runStep(c);
          }
        }
        dbFailures = 0;
        if (this.state !== "running") break;
        if (claimed > 0 && claimed === free) continue; // there may be more due right now
        let wait = this.pollMs;
        if (this.inflight.size < this.concurrency) {
          const next = await msUntilNextDue(this.db);
          if (next !== null) wait = Math.min(wait, Math.max(next, 10));
        }
        await this.idle(wait);
      } catch (e) {
        dbFailures++;
        const delay = backoffMs(dbFailures, { baseMs: 500, capMs: 15_000 });
        this.log.warn({ err: (e as Error).message, retryInMs: delay }, "reconcile queue unavailable; retrying");
        await this.idle(delay);
      }
    }
  }

  private runStep(claim: Claim): void {
    const started = performance.now();
    this.stats.claims++;
    reconcileClaimLatency.observe(claim.lateMs / 1000);
    reconcileInflight.inc();
    this.opts.probe?.stepStarted?.(claim.id, this.id);
    const log = this.log.child({ clusterId: claim.id });
    const lease = keepLease(this.db, claim, this.id, this.leaseSeconds, log);

    const done = (async () => {
      let intent = "none";
      let outcome = "aborted";
      try {
        const result = await reconcileCluster({
          db: this.db,
          owner: this.id,
          claim,
          hostOps: this.hostOps,
          signal: lease.signal,
          probe: this.opts.probe,
          options: this.opts.step,
          log,
        });
        intent = result.intent;
        if (result.kind === "lost") {
          outcome = "lost";
          return;
        }
        outcome = result.outcome;
        if (this.state === "killed") return; // a dead process writes nothing
        if ((await this.opts.probe?.at?.("release", claim.id)) === "crash") throw new StepAborted("crashed");
        const released = await releaseClaim(this.db, { ...claim, generation: result.generation }, this.id, result.result);
        if (!released) log.warn("lease was lost before release; the step's verdict is dropped");
        const level = result.outcome === "retry" || result.outcome === "failed" ? "warn" : "debug";
        log[level]({ intent, outcome, note: result.note, requeueAfterMs: result.result.requeueAfterMs, attempts: result.result.attempts, lastError: result.result.lastError }, `step ${intent}: ${outcome}`);
      } catch (e) {
        if (e instanceof StepAborted && e.reason === "crashed") {
          this.stats.crashes++;
          outcome = "crashed";
          log.warn("crashed by the probe: leaving the lease to expire");
          return;
        }
        if (e instanceof StepAborted) {
          outcome = "aborted";
          // Stopping gracefully: hand the cluster back at once. Lease lost or killed: it is not ours to release.
          if (e.reason === "stopping" && this.state !== "killed") await releaseClaim(this.db, claim, this.id, { requeueAfterMs: 0, attempts: claim.attempts }).catch(() => {});
          return;
        }
        // Database trouble while recording the verdict: the lease expires and another step retries.
        outcome = "error";
        log.error({ err: (e as Error).message }, "reconcile step crashed; the lease will expire and the step will be retried");
        if (this.state !== "killed") {
          await releaseClaim(this.db, claim, this.id, { requeueAfterMs: backoffMs(claim.attempts + 1), attempts: claim.attempts + 1, lastError: `Internal error: ${(e as Error).message}` }).catch(() => {});
        }
      } finally {
        lease.stop();
        this.stats.steps++;
        reconcileSteps.inc({ intent, outcome });
        reconcileStepDuration.observe({ intent }, (performance.now() - started) / 1000);
        reconcileInflight.dec();
        this.opts.probe?.stepFinished?.(claim.id, this.id);
        // Only our own entry: never another run's.
        if (this.inflight.get(claim.id)?.lease === lease) this.inflight.delete(claim.id);
        this.kick();
      }
    })();
    this.inflight.set(claim.id, { claim, lease, done });
  }

  // ───────────────────────────── shutdown ─────────────────────────────

  /**
   * Graceful: stop claiming, let running steps finish (up to timeoutMs), then abort the rest and hand their
   * clusters back (due now) so another worker continues at once.
   */
  async stop({ timeoutMs = 30_000 }: { timeoutMs?: number } = {}): Promise<void> {
    if (this.state !== "running") return;
    this.state = "stopping";
    this.kick();
    const sweepsStopped = this.sweeps?.stop();
    await this.loopDone;
    const all = Promise.all([...this.inflight.values()].map((f) => f.done));
    const timedOut = await Promise.race([all.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), timeoutMs).unref())]);
    if (timedOut) {
      this.log.warn({ inflight: this.inflight.size }, "steps still running at shutdown; aborting them and releasing their clusters");
      for (const f of this.inflight.values()) f.lease.abort(new StepAborted("stopping"));
      await Promise.race([all, new Promise((r) => setTimeout(r, 2_000).unref())]);
      await releaseAllOf(this.db, this.id).catch(() => {});
    }
    await sweepsStopped;
    await this.close();
    this.state = "stopped";
    this.log.info(this.stats, "reconciler worker stopped");
  }

  /**
   * Simulates the process dying (tests): nothing more is written — no releases, leases run out on their own.
   * Running steps are cut at their next checkpoint.
   */
  async kill(): Promise<void> {
    if (this.state === "stopped" || this.state === "killed") return;
    this.state = "killed";
    this.kick();
    void this.sweeps?.stop(0);
    for (const f of this.inflight.values()) f.lease.abort(new StepAborted("killed"));
    await this.loopDone;
    await Promise.race([Promise.all([...this.inflight.values()].map((f) => f.done)), new Promise((r) => setTimeout(r, 10_000).unref())]);
    await this.close();
  }

  private async close(): Promise<void> {
    await this.listener?.stop();
    this.listener = null;
    const server = this.metricsServer;
    this.metricsServer = null;
    await closeServer(server);
  }
}
