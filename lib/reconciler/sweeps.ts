import pg from "pg";
import { recordAudit, recordClusterEvent } from "@/lib/domain/audit";
import { applyCredentialRevocations, type RevocationResult } from "@/lib/domain/apply-credential-revocations";
import { LIVE_PHASES, nextPhase } from "@/lib/lifecycle/phases";
import { SYSTEM_ACTOR } from "@/lib/domain/context";
import { enqueueReconcile } from "@/lib/domain/enqueue";
import { Prisma, type PrismaClient } from "@/lib/generated/prisma/client";
import type { ClusterPhase, DesiredState } from "@/lib/generated/prisma/enums";
import type { CredentialOps } from "@/lib/kube/vcluster-credentials";
import { log as rootLog, type Logger } from "@/lib/log";
import { phaseTransitions, sweepActions } from "@/lib/metrics/registry";
import { classifyError } from "./errors";
import type { HostInventory, HostOpsFactory } from "./host-ops";
import { CLUSTER_SPEC_INCLUDE, specFromRow } from "@/lib/domain/spec-from-row";

// Periodic sweeps (docs/reconciler.md). Each is idempotent and guarded by compare-and-set, so two workers
// running the same sweep at once do no harm; withSweepLock() makes that rare anyway.

/** The sweeps act as the system in the audit log. */
export const SYSTEM = { actor: { ...SYSTEM_ACTOR, memberships: [] }, requestId: undefined, ip: undefined };

// ───────────────────────────── TTL expiry ─────────────────────────────

export type ExpiryResult = { deleted: number; slept: number };

/**
 * Clusters past expiresAt, per their template version's expiryAction:
 *   DELETE → expiredAt set, desiredState DELETED, phase via nextPhase('delete'); finishes as EXPIRED.
 *   SLEEP  → desiredState SLEEPING (the owner can extend the lifetime and wake it again).
 * Each is one transaction with a timeline event, an audit event `cluster.expire` by the system, and an enqueue.
 */
export async function expirySweep(db: PrismaClient, opts: { now?: Date; limit?: number; log?: Logger } = {}): Promise<ExpiryResult> {
  const now = opts.now ?? new Date();
  const log = opts.log ?? rootLog;
  const result: ExpiryResult = { deleted: 0, slept: 0 };
  for (const c of await dueForExpiry(db, now, opts.limit ?? 200)) {
    try {
      const done = await expireOne(db, c, now);
      if (done === "DELETE") result.deleted++;
      if (done === "SLEEP") result.slept++;
      if (done) log.info({ clusterId: c.id, expiryAction: done }, `cluster ${c.name} expired`);
    } catch (e) {
      log.warn({ clusterId: c.id, err: (e as Error).message }, "expiry sweep could not expire a cluster; next sweep retries");
    }
  }
  return result;
}

export type ExpiryCandidate = Awaited<ReturnType<typeof dueForExpiry>>[number];

/** Clusters past expiresAt that their template's expiryAction still has to act on. */
export function dueForExpiry(db: PrismaClient, now: Date, limit: number) {
  return db.virtualCluster.findMany({
    where: {
      expiresAt: { lte: now },
      expiredAt: null,
      OR: [
        { templateVersion: { expiryAction: "DELETE" }, phase: { in: ["PROVISIONING", "READY", "SLEEPING", "FAILED"] }, desiredState: { not: "DELETED" } },
        { templateVersion: { expiryAction: "SLEEP" }, phase: { in: ["PROVISIONING", "READY"] }, desiredState: "RUNNING" },
      ],
    },
    select: { id: true, name: true, teamId: true, phase: true, generation: true, desiredState: true, expiresAt: true, templateVersion: { select: { expiryAction: true } } },
    orderBy: { expiresAt: "asc" },
    take: limit,
  });
}

/**
 * Expires one cluster read by dueForExpiry, in one transaction with its timeline event, audit event and enqueue.
 * The compare-and-set includes the expiresAt that was read: a lifetime extended in between (and confirmed to
 * its owner) wins over a sweep that read the old one. Returns the action taken, or null when nothing was done.
 */
export async function expireOne(db: PrismaClient, c: ExpiryCandidate, now: Date): Promise<"DELETE" | "SLEEP" | null> {
  const action = c.templateVersion.expiryAction;
  const expiresAt = c.expiresAt!.toISOString();
  const done = await db.$transaction(async (tx) => {
    const guard = { id: c.id, phase: c.phase, generation: c.generation, expiredAt: null, expiresAt: c.expiresAt };
    if (action === "DELETE") {
      const to = nextPhase(c.phase, "delete");
      const n = await tx.virtualCluster.updateMany({ where: guard, data: { phase: to, desiredState: "DELETED", expiredAt: now, lastError: null } });
      if (n.count !== 1) return false;
      if (to !== c.phase) phaseTransitions.inc({ from: c.phase, to });
      await recordClusterEvent(tx, c.id, "expiring", `Lifetime ended (${expiresAt}): deleting the cluster`);
    } else {
      const n = await tx.virtualCluster.updateMany({ where: { ...guard, desiredState: "RUNNING" }, data: { desiredState: "SLEEPING" } });
      if (n.count !== 1) return false;
      await recordClusterEvent(tx, c.id, "expiring", `Lifetime ended (${expiresAt}): putting the cluster to sleep; extend its lifetime to wake it again`);
    }
    await recordAudit(tx, SYSTEM, {
      action: "cluster.expire",
      targetType: "cluster",
      targetId: c.id,
      teamId: c.teamId,
      details: { name: c.name, expiresAt, expiryAction: action },
    });
    await enqueueReconcile(tx, c.id);
    return true;
  });
  if (!done) return null;
  sweepActions.inc({ action: action === "DELETE" ? "expired-delete" : "expired-sleep" });
  return action;
}

// ───────────────────────────── drift ─────────────────────────────

export type DriftResult = { checked: number; drifted: number; unreachable: number; followed: number };

/**
 * Re-reads the host for settled READY / SLEEPING clusters (not leased, intent observed). When the namespace or
 * the control plane vanished behind the portal's back: phase 'drift' → PROVISIONING, a timeline event saying
 * so, and an enqueue — the reconciler recreates what is missing. When someone paused or resumed the cluster
 * with the vcluster CLI, the portal follows them (followCli) instead of undoing it.
 *
 * Cost per host: one inventory read per sweep (hostInventory in lib/kube/host-inventory.ts) whatever the number
 * of clusters, plus one observe() per *suspect* to confirm before acting. An unreachable host is skipped.
 */
export async function driftSweep(db: PrismaClient, hostOps: HostOpsFactory, opts: { pageSize?: number; log?: Logger } = {}): Promise<DriftResult> {
  const log = opts.log ?? rootLog;
  const pageSize = opts.pageSize ?? 1_000;
  const result: DriftResult = { checked: 0, drifted: 0, unreachable: 0, followed: 0 };
  // One read of each host per sweep, whatever the number of pages; null = unreachable this round.
  const hosts = new Map<string, { ops: ReturnType<HostOpsFactory>; inventory: HostInventory | null } | null>();
  // Every cluster, a page at a time by id (a keyset cursor): none is skipped however many there are.
  for (let after: string | undefined; ; ) {
    const now = new Date();
    const page = await db.virtualCluster.findMany({
      where: { phase: { in: ["READY", "SLEEPING"] }, hostClusterId: { not: null }, OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }], ...(after ? { id: { gt: after } } : {}) },
      include: CLUSTER_SPEC_INCLUDE,
      orderBy: { id: "asc" },
      take: pageSize,
    });
    if (page.length === 0) break;
    after = page.at(-1)!.id;
    for (const row of page) {
      if (row.generation !== row.observedGeneration || row.hostCluster?.enabled === false) continue;
      if (!hosts.has(row.hostClusterId!)) {
        try {
          const ops = hostOps(row.hostCluster!);
          hosts.set(row.hostClusterId!, { ops, inventory: ops.inventory ? await ops.inventory() : null });
        } catch (e) {
          hosts.set(row.hostClusterId!, null);
          result.unreachable++;
          log.warn({ hostClusterId: row.hostClusterId, err: classifyError(e).message }, "drift sweep could not read a host; skipped this round");
        }
      }
      const host = hosts.get(row.hostClusterId!);
      if (!host) continue;
      try {
        const spec = specFromRow(row);
        const key = `${spec.namespace}/${spec.releaseName}`;
        let seen = host.inventory && host.inventory.namespaces.has(spec.namespace) ? host.inventory.controlPlanes.get(key) : undefined;
        if (!seen) {
          // A suspect (or no inventory): confirm with a fresh read of this cluster.
          const obs = await host.ops.observe(spec);
          const missing = obs.namespace === "absent" ? `namespace ${spec.namespace}` : obs.controlPlane === null ? `control plane ${key}` : null;
          if (missing) {
            result.checked++;
            if (await markDrift(db, row, missing, log)) result.drifted++;
            continue;
          }
          seen = { paused: obs.paused, replicas: obs.controlPlane!.replicas };
        }
        result.checked++;
        if (await followCli(db, row, seen, log)) result.followed++;
      } catch (e) {
        const c = classifyError(e);
        log.warn({ clusterId: row.id, err: c.message }, "drift sweep could not observe a cluster");
        if (c.class === "transient") {
          // The host went away mid-sweep: do not spend a timeout on each of its other clusters.
          hosts.set(row.hostClusterId!, null);
          result.unreachable++;
        }
      }
    }
    if (page.length < pageSize) break;
  }
  return result;
}

type DriftRow = { id: string; name: string; teamId: string; phase: ClusterPhase; generation: number; desiredState: DesiredState };

const leaseFree = () => ({ OR: [{ leaseUntil: null }, { leaseUntil: { lt: new Date() } }] });

async function markDrift(db: PrismaClient, row: DriftRow, missing: string, log: Logger): Promise<boolean> {
  const to = nextPhase(row.phase, "drift");
  const done = await db.$transaction(async (tx) => {
    const n = await tx.virtualCluster.updateMany({ where: { id: row.id, phase: row.phase, generation: row.generation, ...leaseFree() }, data: { phase: to, lastError: null } });
    if (n.count !== 1) return false;
    await recordClusterEvent(tx, row.id, "drift-detected", `The ${missing} was deleted on the host outside the portal; recreating it`);
    await enqueueReconcile(tx, row.id);
    return true;
  });
  if (done) {
    phaseTransitions.inc({ from: row.phase, to });
    sweepActions.inc({ action: "drift" });
    log.warn({ clusterId: row.id, missing }, `drift: ${missing} vanished; recreating`);
  }
  return done;
}

/**
 * `vcluster pause` on a READY cluster (loft.sh/paused=true, scaled to 0) makes its intent SLEEPING; `vcluster
 * resume` on a SLEEPING one (annotation gone, replicas back) makes it RUNNING and wakes it. The reconciler then
 * finishes what the CLI started (workload pods, readiness) and the page shows the truth. Audited as the system.
 */
async function followCli(db: PrismaClient, row: DriftRow, seen: { paused: boolean; replicas: number }, log: Logger): Promise<boolean> {
  const pausedOutside = row.phase === "READY" && row.desiredState === "RUNNING" && seen.paused;
  const resumedOutside = row.phase === "SLEEPING" && row.desiredState === "SLEEPING" && !seen.paused && seen.replicas > 0;
  if (!pausedOutside && !resumedOutside) return false;
  const done = await db.$transaction(async (tx) => {
    const data: Prisma.VirtualClusterUpdateManyMutationInput = pausedOutside
      ? { desiredState: "SLEEPING", lastError: null }
      : { desiredState: "RUNNING", phase: nextPhase(row.phase, "wake"), lastError: null };
    const n = await tx.virtualCluster.updateMany({ where: { id: row.id, phase: row.phase, generation: row.generation, desiredState: row.desiredState, ...leaseFree() }, data });
    if (n.count !== 1) return false;
    await recordClusterEvent(
      tx,
      row.id,
      pausedOutside ? "sleep-requested" : "wake-requested",
      pausedOutside ? "Paused outside the portal (vcluster pause); the portal keeps it asleep" : "Resumed outside the portal (vcluster resume); waiting for the control plane",
    );
    await recordAudit(tx, SYSTEM, {
      action: pausedOutside ? "cluster.sleep" : "cluster.wake",
      targetType: "cluster",
      targetId: row.id,
      teamId: row.teamId,
      details: { name: row.name, by: pausedOutside ? "vcluster pause" : "vcluster resume" },
    });
    await enqueueReconcile(tx, row.id);
    return true;
  });
  if (done) {
    sweepActions.inc({ action: pausedOutside ? "followed-pause" : "followed-resume" });
    log.info({ clusterId: row.id }, `cluster ${row.name} was ${pausedOutside ? "paused" : "resumed"} with the vcluster CLI; following it`);
    if (resumedOutside) phaseTransitions.inc({ from: row.phase, to: "PROVISIONING" });
  }
  return done;
}

// ───────────────────────────── usage snapshots ─────────────────────────────

/** UTC midnight of `now` — the `day` of a UsageSnapshot. */
export function utcDay(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

/**
 * One UsageSnapshot per team and UTC day (upsert on teamId+day) with the team's reserved resources — the
 * same derivation as the quota check (live phases). Run it often: the day's row holds the latest value.
 */
export async function usageSnapshotSweep(db: PrismaClient, opts: { now?: Date } = {}): Promise<number> {
  const day = utcDay(opts.now ?? new Date()).toISOString().slice(0, 10);
  const live = Prisma.join(LIVE_PHASES.map((p) => Prisma.sql`${p}::"ClusterPhase"`));
  const n = await db.$executeRaw`
    INSERT INTO "UsageSnapshot" (id, "teamId", day, clusters, "cpuMillicores", "memoryMiB", "createdAt")
    SELECT 'us_' || md5(t.id || ${day}), t.id, ${day}::date,
           count(v.id)::int, COALESCE(sum(v."cpuMillicores"), 0)::int, COALESCE(sum(v."memoryMiB"), 0)::int, now()
      FROM "Team" t
      LEFT JOIN "VirtualCluster" v ON v."teamId" = t.id AND v.phase IN (${live})
     GROUP BY t.id
    ON CONFLICT ("teamId", day) DO UPDATE
       SET clusters = EXCLUDED.clusters, "cpuMillicores" = EXCLUDED."cpuMillicores", "memoryMiB" = EXCLUDED."memoryMiB"`;
  if (n > 0) sweepActions.inc({ action: "usage-snapshot" }, n);
  return n;
}

// ───────────────────────────── one sweeper at a time ─────────────────────────────

/**
 * Runs `fn` only if no other process holds the named sweep lock (a PostgreSQL session advisory lock on a
 * short-lived connection: released when fn ends, or when the process dies). Returns null when skipped.
 */
export async function withSweepLock<T>(connectionString: string, name: string, fn: () => Promise<T>): Promise<T | null> {
  const client = new pg.Client({ connectionString, application_name: `vcp-sweep-${name}` });
  client.on("error", () => {});
  await client.connect();
  try {
    const r = await client.query<{ locked: boolean }>("SELECT pg_try_advisory_lock(hashtext($1)) AS locked", [`vcp-sweep:${name}`]);
    if (!r.rows[0]?.locked) return null;
    try {
      return await fn();
    } finally {
      await client.query("SELECT pg_advisory_unlock(hashtext($1))", [`vcp-sweep:${name}`]).catch(() => {});
    }
  } finally {
    await client.end().catch(() => {});
  }
}

// ───────────────────────────── credential revocations ─────────────────────────────

/**
 * Applies pending revocations of per-person cluster credentials (a lead or admin revoked access, or the person left
 * the team while the cluster was asleep or unreachable): deletes their ServiceAccounts in the virtual clusters that
 * are READY again, so the API server refuses their tokens. Idempotent; what cannot be applied yet stays pending.
 */
export async function credentialRevocationSweep(db: PrismaClient, opts: { ops?: CredentialOps; limit?: number; log?: Logger } = {}): Promise<RevocationResult> {
  const result = await applyCredentialRevocations(db, opts);
  if (result.applied > 0) sweepActions.inc({ action: "credential-revoked" }, result.applied);
  return result;
}
