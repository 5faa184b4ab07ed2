import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { Logger } from "@/lib/log";
import { sweepRuns } from "@/lib/metrics/registry";
import { approvalTimeoutSweep } from "./approval-timeout-sweep";
import type { HostOpsFactory } from "./host-ops";
import { orphanSweep } from "./orphan-sweep";
import { credentialRevocationSweep, driftSweep, expirySweep, usageSnapshotSweep, withSweepLock } from "./sweeps";

// Runs the periodic sweeps of a worker (docs/reconciler.md "Sweeps"), each on its own timer, each under its
// advisory lock so that normally one worker at a time runs it.

export type SweepIntervals = { expiryMs: number; driftMs: number; usageMs: number; approvalsMs: number; orphansMs: number; revocationsMs: number };

export const DEFAULT_SWEEPS: SweepIntervals = { expiryMs: 30_000, driftMs: 60_000, usageMs: 60 * 60_000, approvalsMs: 5 * 60_000, orphansMs: 5 * 60_000, revocationsMs: 15_000 };

export type SweepSchedulerOptions = {
  db: PrismaClient;
  hostOps: HostOpsFactory;
  /** For the sweep locks; without it every worker runs every sweep (harmless: each change is a compare-and-set). */
  databaseUrl?: string;
  orphanGraceMinutes?: number;
  approvalTimeoutHours?: number;
  log: Logger;
};

export class SweepScheduler {
  private timers: NodeJS.Timeout[] = [];
  private readonly running = new Set<Promise<unknown>>();
  private stopped = false;

  constructor(private readonly opts: SweepSchedulerOptions) {}

  start(iv: SweepIntervals): void {
    const { db, hostOps, log } = this.opts;
    this.every("expiry", iv.expiryMs, 1_000, () => expirySweep(db, { log }));
    this.every("drift", iv.driftMs, Math.min(iv.driftMs, 15_000), () => driftSweep(db, hostOps, { log }));
    this.every("usage", iv.usageMs, 2_000, () => usageSnapshotSweep(db));
    this.every("orphans", iv.orphansMs, 30_000, () => orphanSweep(db, hostOps, { graceMs: (this.opts.orphanGraceMinutes ?? 60) * 60_000, log }));
    // Short: a woken cluster must refuse revoked people's tokens soon after it is READY again.
    this.every("revocations", iv.revocationsMs, 3_000, () => credentialRevocationSweep(db, { log }));
    this.every("approvals", iv.approvalsMs, 5_000, () => approvalTimeoutSweep(db, { timeoutHours: this.opts.approvalTimeoutHours ?? 168, log }));
  }

  /** No new runs; waits up to timeoutMs for the running ones. */
  async stop(timeoutMs = 5_000): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    await Promise.race([Promise.all([...this.running]), new Promise((r) => setTimeout(r, timeoutMs).unref())]);
  }

  private every(name: string, everyMs: number, initialDelayMs: number, fn: () => Promise<unknown>): void {
    if (!everyMs || everyMs <= 0) return;
    const run = () => {
      if (this.stopped) return;
      const p = this.runOnce(name, fn).finally(() => {
        this.running.delete(p);
        if (!this.stopped) this.timers.push(setTimeout(run, everyMs));
      });
      this.running.add(p);
    };
    this.timers.push(setTimeout(run, initialDelayMs));
  }

  private async runOnce(name: string, fn: () => Promise<unknown>): Promise<void> {
    const log = this.opts.log;
    try {
      const url = this.opts.databaseUrl;
      const result = url ? await withSweepLock(url, name, fn) : await fn();
      sweepRuns.inc({ sweep: name, outcome: result === null ? "skipped" : "ok" });
      if (result !== null) log.debug({ sweep: name, result }, `sweep ${name} done`);
    } catch (e) {
      sweepRuns.inc({ sweep: name, outcome: "error" });
      log.warn({ sweep: name, err: (e as Error).message }, `sweep ${name} failed; it runs again at the next interval`);
    }
  }
}
