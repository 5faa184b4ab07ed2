import { randomBytes } from "node:crypto";
import http from "node:http";
import { hostname } from "node:os";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { log as rootLog, type Logger } from "@/lib/log";
import { reconcileClaimLatency, reconcileInflight, reconcileStepDuration, reconcileSteps, registry, sweepRuns } from "@/lib/metrics/registry";
import { backoffMs } from "./backoff";
import { SimulatedCrash, StepAborted } from "./errors";
import { kubeHostOps, type HostOpsFactory } from "./host-ops";
import { claimDue, msUntilNextDue, ReconcileListener, releaseAllOf, releaseClaim, renewLease, type Claim } from "./queue";
import { reconcileCluster, type StepHooks, type StepOptions } from "./reconcile-cluster";
import { approvalTimeoutSweep } from "./approval-timeout-sweep";
import { orphanSweep } from "./orphan-sweep";
import { credentialRevocationSweep, driftSweep, expirySweep, usageSnapshotSweep, withSweepLock } from "./sweeps";

// The reconciler loop: claim due clusters (up to `concurrency` at once), run one step each while renewing
// the lease, release with the step's verdict, sleep until the next row is due or a NOTIFY arrives. Any number
// of workers may share one database; the lease makes each cluster's steps strictly sequential.

export type WorkerHooks = StepHooks & {
  /** A step for this cluster begins / ends (tests count concurrent steps per cluster). */
  stepStarted?: (clusterId: string, workerId: string) => void;
  stepFinished?: (clusterId: string, workerId: string) => void;
};

export type SweepIntervals = { expiryMs: number; driftMs: number; usageMs: number; approvalsMs: number; orphansMs: number; revocationsMs: number };

export type WorkerOptions = {
  db: PrismaClient;
  /** For LISTEN and sweep locks (a dedicated pg connection); without it the worker only polls. */
  databaseUrl?: string;
  id?: string;
  concurrency?: number;
  leaseSeconds?: number;
  /** Longest idle wait between polls when nothing is scheduled and no NOTIFY arrives. */
  pollMs?: number;
  hostOps?: HostOpsFactory;
  hooks?: WorkerHooks;
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

export const DEFAULT_SWEEPS: SweepIntervals = { expiryMs: 30_000, driftMs: 60_000, usageMs: 60 * 60_000, approvalsMs: 5 * 60_000, orphansMs: 5 * 60_000, revocationsMs: 15_000 };

/**
 * A worker id unique to this process: leases are released by owner, so two replicas sharing one id (a fixed
 * WORKER_ID in a Deployment) would release each other's leases on shutdown. WORKER_ID is only a readable prefix.
 */
export function defaultWorkerId(prefix?: string): string {
  return `${prefix ? `${prefix}-` : ""}${hostname()}-${process.pid}-${randomBytes(3).toString("hex")}`;
}

type Inflight = { claim: Claim; abort: AbortController; done: Promise<void> };

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
  private sweepTimers: NodeJS.Timeout[] = [];
  private sweepsRunning = new Set<Promise<unknown>>();
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
    this.hostOps = opts.hostOps ?? kubeHostOps;
    this.log = (opts.log ?? rootLog).child({ workerId: this.id });
  }

  get running(): boolean {
    return this.state === "running";
  }

  /** Where the metrics are served, e.g. http://127.0.0.1:9464/metrics (the interface actually bound). */
  get metricsAddress(): string | null {
    const a = this.metricsServer?.address();
    if (!a || typeof a !== "object") return null;
    return `http://${a.family === "IPv6" ? `[${a.address}]` : a.address}:${a.port}/metrics`;
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
      await this.serveMetrics(this.opts.metricsPort, this.opts.metricsHost ?? "127.0.0.1").catch((e: Error) => {
        this.metricsServer = null;
        this.log.warn({ port: this.opts.metricsPort, err: e.message }, "cannot serve worker metrics on this port (set WORKER_METRICS_PORT to another port, or 0); continuing without");
      });
    }
    if (this.opts.sweeps !== false) this.startSweeps({ ...DEFAULT_SWEEPS, ...(this.opts.sweeps ?? {}) });
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
            // again must not start a second step of it beside the first (which still holds its abort signal).
            if (this.inflight.has(c.id)) this.log.warn({ clusterId: c.id }, "claimed a cluster this worker is still reconciling; leaving it to the running step");
            else this.runStep(c);
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
    const abort = new AbortController();
    const started = performance.now();
    this.stats.claims++;
    reconcileClaimLatency.observe(claim.lateMs / 1000);
    reconcileInflight.inc();
    this.opts.hooks?.stepStarted?.(claim.id, this.id);
    const log = this.log.child({ clusterId: claim.id });
    const renewEvery = Math.max(200, (this.leaseSeconds * 1000) / 3);
    let renewedAt = Date.now();
    const renewal = setInterval(() => {
      renewLease(this.db, claim.id, this.id, this.leaseSeconds)
        .then((ok) => {
          if (ok) renewedAt = Date.now();
          else if (!abort.signal.aborted) {
            log.warn("lease lost during a step; abandoning it");
            abort.abort(new StepAborted("lease-lost"));
          }
        })
        .catch((e: Error) => {
          // The database is unreachable: once the lease may have run out, another worker may own the cluster.
          // Stop before that, rather than act on a claim that is no longer ours.
          if (Date.now() - renewedAt >= this.leaseSeconds * 1000 * 0.8 && !abort.signal.aborted) {
            log.warn({ err: e.message }, "lease could not be renewed before it runs out; abandoning the step");
            abort.abort(new StepAborted("lease-lost"));
          } else log.warn({ err: e.message }, "lease renewal failed; retrying");
        });
    }, renewEvery);

    const done = (async () => {
      let intent = "none";
      let outcome = "aborted";
      try {
        const result = await reconcileCluster({
          db: this.db,
          owner: this.id,
          claim,
          hostOps: this.hostOps,
          signal: abort.signal,
          hooks: this.opts.hooks,
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
        await this.opts.hooks?.checkpoint?.("release", claim.id);
        const released = await releaseClaim(this.db, { id: claim.id, generation: result.generation }, this.id, result.result);
        if (!released) log.warn("lease was lost before release; the step's verdict is dropped");
        const level = result.outcome === "retry" || result.outcome === "failed" ? "warn" : "debug";
        log[level]({ intent, outcome, note: result.note, requeueAfterMs: result.result.requeueAfterMs, attempts: result.result.attempts, lastError: result.result.lastError }, `step ${intent}: ${outcome}`);
      } catch (e) {
        if (e instanceof SimulatedCrash) {
          this.stats.crashes++;
          outcome = "crashed";
          log.warn({ checkpoint: e.checkpoint }, "simulated crash: leaving the lease to expire");
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
        clearInterval(renewal);
        this.stats.steps++;
        reconcileSteps.inc({ intent, outcome });
        reconcileStepDuration.observe({ intent }, (performance.now() - started) / 1000);
        reconcileInflight.dec();
        this.opts.hooks?.stepFinished?.(claim.id, this.id);
        // Only our own entry: never another run's.
        if (this.inflight.get(claim.id)?.abort === abort) this.inflight.delete(claim.id);
        this.kick();
      }
    })();
    this.inflight.set(claim.id, { claim, abort, done });
  }

  // ───────────────────────────── sweeps ─────────────────────────────

  private startSweeps(iv: SweepIntervals): void {
    const schedule = (name: string, every: number, fn: () => Promise<unknown>, initialDelay: number) => {
      if (!every || every <= 0) return;
      const run = () => {
        if (this.state !== "running") return;
        const p = this.runSweep(name, fn).finally(() => {
          this.sweepsRunning.delete(p);
          if (this.state === "running") this.sweepTimers.push(setTimeout(run, every));
        });
        this.sweepsRunning.add(p);
      };
      this.sweepTimers.push(setTimeout(run, initialDelay));
    };
    schedule("expiry", iv.expiryMs, () => expirySweep(this.db, { log: this.log }), 1_000);
    schedule("drift", iv.driftMs, () => driftSweep(this.db, this.hostOps, { log: this.log }), Math.min(iv.driftMs, 15_000));
    schedule("usage", iv.usageMs, () => usageSnapshotSweep(this.db), 2_000);
    schedule("orphans", iv.orphansMs, () => orphanSweep(this.db, this.hostOps, { graceMs: (this.opts.orphanGraceMinutes ?? 60) * 60_000, log: this.log }), 30_000);
    // Short: a woken cluster must refuse revoked people's tokens soon after it is READY again.
    schedule("revocations", iv.revocationsMs, () => credentialRevocationSweep(this.db, { log: this.log }), 3_000);
    schedule("approvals", iv.approvalsMs, () => approvalTimeoutSweep(this.db, { timeoutHours: this.opts.approvalTimeoutHours ?? 168, log: this.log }), 5_000);
  }

  private async runSweep(name: string, fn: () => Promise<unknown>): Promise<void> {
    try {
      const url = this.opts.databaseUrl;
      const result = url ? await withSweepLock(url, name, fn) : await fn();
      sweepRuns.inc({ sweep: name, outcome: result === null ? "skipped" : "ok" });
      if (result !== null) this.log.debug({ sweep: name, result }, `sweep ${name} done`);
    } catch (e) {
      sweepRuns.inc({ sweep: name, outcome: "error" });
      this.log.warn({ sweep: name, err: (e as Error).message }, `sweep ${name} failed; it runs again at the next interval`);
    }
  }

  // ───────────────────────────── metrics ─────────────────────────────

  private serveMetrics(port: number, host: string): Promise<void> {
    const server = http.createServer((req, res) => {
      if (req.method !== "GET" || (req.url !== "/metrics" && req.url !== "/")) {
        res.writeHead(404).end();
        return;
      }
      registry
        .metrics()
        .then((body) => res.writeHead(200, { "Content-Type": registry.contentType }).end(body))
        .catch((e: Error) => res.writeHead(500).end(e.message));
    });
    this.metricsServer = server;
    return new Promise((resolve, reject) => {
      server.once("error", reject);
      // Loopback by default: the endpoint has no authentication of its own.
      server.listen(port, host, () => {
        server.off("error", reject);
        this.log.info({ metrics: this.metricsAddress }, "worker metrics served");
        resolve();
      });
    });
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
    for (const t of this.sweepTimers) clearTimeout(t);
    await this.loopDone;
    const all = Promise.all([...this.inflight.values()].map((f) => f.done));
    const timedOut = await Promise.race([all.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), timeoutMs).unref())]);
    if (timedOut) {
      this.log.warn({ inflight: this.inflight.size }, "steps still running at shutdown; aborting them and releasing their clusters");
      for (const f of this.inflight.values()) f.abort.abort(new StepAborted("stopping"));
      await Promise.race([all, new Promise((r) => setTimeout(r, 2_000).unref())]);
      await releaseAllOf(this.db, this.id).catch(() => {});
    }
    await Promise.race([Promise.all([...this.sweepsRunning]), new Promise((r) => setTimeout(r, 5_000).unref())]);
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
    for (const t of this.sweepTimers) clearTimeout(t);
    for (const f of this.inflight.values()) f.abort.abort(new StepAborted("killed"));
    await this.loopDone;
    await Promise.race([Promise.all([...this.inflight.values()].map((f) => f.done)), new Promise((r) => setTimeout(r, 10_000).unref())]);
    await this.close();
  }

  private async close(): Promise<void> {
    await this.listener?.stop();
    this.listener = null;
    const server = this.metricsServer;
    this.metricsServer = null;
    if (server) await new Promise<void>((r) => server.close(() => r()));
  }
}
