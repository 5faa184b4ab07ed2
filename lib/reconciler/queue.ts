import pg from "pg";
import { RECONCILE_CHANNEL } from "@/lib/domain/enqueue";
import { Prisma, type PrismaClient } from "@/lib/generated/prisma/client";
import { PARKED_PHASES } from "@/lib/lifecycle/phases";
import { log } from "@/lib/log";

// The reconcile queue lives in the VirtualCluster rows themselves (docs/reconciler.md):
//   nextReconcileAt  when the cluster is due       leaseOwner/leaseUntil  who works on it, until when
//   attempts         failures in a row (backoff)    lastError             what went wrong, for people
// A worker claims due rows with one compare-and-set UPDATE (FOR UPDATE SKIP LOCKED: concurrent workers
// never block on, nor take, each other's rows), works on them while the lease holds, and releases them
// with the time of the next visit. Every claim increments `leaseToken` (a fencing token), and every write
// after the claim is guarded by `leaseOwner = me AND leaseToken = mine`, so a worker whose lease expired (it
// hung, or the machine paused) cannot overwrite its successor's work — not even when it claimed the same
// cluster again itself.
//
// Times come from the database clock (`now()`), never from the workers' clocks: leases stay comparable
// across machines. Columns are `timestamp(3)` holding UTC (Prisma's convention), hence NOW_UTC.

const NOW_UTC = Prisma.sql`(now() AT TIME ZONE 'UTC')`;

const PARKED_SQL = Prisma.raw(PARKED_PHASES.map((p) => `'${p}'`).join(", "));

const PARKED_UNTIL_SQL = Prisma.raw(`'9999-01-01 00:00:00'::timestamp`);

type Queryable = Pick<PrismaClient, "$queryRaw" | "$executeRaw">;

export type Claim = {
  id: string;
  /** The generation (intent) at claim time; a release notices a change made while the step ran. */
  generation: number;
  /** The fencing token of this claim: higher than that of every earlier claim of the cluster. */
  token: number;
  attempts: number;
  leaseUntil: Date;
  /** How late the claim is relative to nextReconcileAt, in ms (queue latency). */
  lateMs: number;
  /** hostChangedAt at claim time; a release notices a host change reported while the step ran. */
  hostChangedAt: Date | null;
};

/**
 * Claims up to `limit` due clusters for `owner` for `leaseSeconds`. A row is due when nextReconcileAt has
 * passed, it is not leased (or the lease expired: its holder died) and its phase is not parked.
 */
export async function claimDue(db: Queryable, opts: { owner: string; limit: number; leaseSeconds: number }): Promise<Claim[]> {
  if (opts.limit <= 0) return [];
  const rows = await db.$queryRaw<{ id: string; generation: number; token: number; attempts: number; leaseUntil: Date; lateMs: number; hostChangedAt: Date | null }[]>`
    UPDATE "VirtualCluster" AS v
       SET "leaseOwner" = ${opts.owner},
           "leaseToken" = v."leaseToken" + 1,
           "leaseUntil" = ${NOW_UTC} + make_interval(secs => ${opts.leaseSeconds}::double precision)
      FROM (
        SELECT id, "nextReconcileAt" AS due
          FROM "VirtualCluster"
         WHERE "nextReconcileAt" <= ${NOW_UTC}
           AND ("leaseUntil" IS NULL OR "leaseUntil" < ${NOW_UTC})
           AND phase NOT IN (${PARKED_SQL})
         -- Oldest request first: work already started (readiness re-checks) is not starved by a burst of new installs.
         ORDER BY "createdAt", id
         LIMIT ${opts.limit}
         FOR UPDATE SKIP LOCKED
      ) AS due
     WHERE v.id = due.id
    RETURNING v.id, v.generation, v."leaseToken" AS token, v.attempts, v."leaseUntil", v."hostChangedAt",
              (EXTRACT(EPOCH FROM (${NOW_UTC} - due.due)) * 1000)::float8 AS "lateMs"`;
  return rows.map((r) => ({ ...r, lateMs: Math.max(0, Number(r.lateMs)) }));
}

/** Who holds a claim: the worker and the fencing token it claimed with. */
export type ClaimHolder = { owner: string; token: number };

/** Extends a held lease. False when the lease is no longer ours (expired and taken, or released). */
export async function renewLease(db: Queryable, claim: Pick<Claim, "id" | "token">, owner: string, leaseSeconds: number): Promise<boolean> {
  const n = await db.$executeRaw`
    UPDATE "VirtualCluster"
       SET "leaseUntil" = ${NOW_UTC} + make_interval(secs => ${leaseSeconds}::double precision)
     WHERE id = ${claim.id} AND "leaseOwner" = ${owner} AND "leaseToken" = ${claim.token}`;
  return n === 1;
}

export type ReleaseResult = {
  /** Visit again after this many ms; null parks the row until something enqueues it. */
  requeueAfterMs: number | null;
  /** The new failure count (0 after a success). */
  attempts: number;
  /** undefined keeps lastError as the step left it; null clears it; a string sets it. */
  lastError?: string | null;
};

/**
 * Gives a claimed row back. If the intent changed while the step ran (generation differs from the claim),
 * the row becomes due at once with attempts reset — enqueueReconcile's NOTIFY may have fired while we held
 * the lease, and its wish must not be lost under our requeue time. Likewise when a watch reported a change on
 * the host meanwhile (hostChangedAt moved): the step may have looked just before it. Returns false when the
 * lease was lost.
 */
export async function releaseClaim(
  db: Queryable,
  claim: Pick<Claim, "id" | "generation" | "token"> & { hostChangedAt?: Date | null },
  owner: string,
  result: ReleaseResult,
): Promise<boolean> {
  const next =
    result.requeueAfterMs === null
      ? Prisma.sql`${PARKED_UNTIL_SQL}`
      : Prisma.sql`${NOW_UTC} + make_interval(secs => ${Math.max(0, result.requeueAfterMs) / 1000}::double precision)`;
  const lastError = result.lastError === undefined ? Prisma.sql`"lastError"` : Prisma.sql`${result.lastError}`;
  const hostChanged =
    claim.hostChangedAt === undefined
      ? Prisma.sql`false`
      : claim.hostChangedAt === null
        ? Prisma.sql`"hostChangedAt" IS NOT NULL`
        : Prisma.sql`"hostChangedAt" IS DISTINCT FROM ${claim.hostChangedAt}`;
  const n = await db.$executeRaw`
    UPDATE "VirtualCluster"
       SET "leaseOwner" = NULL,
           "leaseUntil" = NULL,
           "nextReconcileAt" = CASE WHEN generation <> ${claim.generation} OR ${hostChanged} THEN ${NOW_UTC} ELSE ${next} END,
           "attempts" = CASE WHEN generation <> ${claim.generation} THEN 0 ELSE ${result.attempts} END,
           "lastError" = CASE WHEN generation <> ${claim.generation} THEN "lastError" ELSE ${lastError} END
     WHERE id = ${claim.id} AND "leaseOwner" = ${owner} AND "leaseToken" = ${claim.token}`;
  return n === 1;
}

/**
 * Locks the cluster's row for the rest of transaction `tx` if `holder` still holds the claim (same owner,
 * same fencing token), and says whether it does. While the lock is held nobody can claim the row (claimDue
 * skips locked rows), so the writes that follow in `tx` are fenced: they land only under the live claim.
 */
export async function holdsClaim(tx: Queryable, clusterId: string, holder: ClaimHolder): Promise<boolean> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM "VirtualCluster"
     WHERE id = ${clusterId} AND "leaseOwner" = ${holder.owner} AND "leaseToken" = ${holder.token}
       FOR UPDATE`;
  return rows.length === 1;
}

/**
 * True when some worker other than `holder` has a live (unexpired) claim on the cluster: a helm operation
 * left pending may still be running on its behalf. lib/kube/drivers/helm.ts repairs a pending release only
 * when this is false.
 */
export async function liveClaimByOther(db: Queryable, clusterId: string, holder: ClaimHolder): Promise<boolean> {
  const rows = await db.$queryRaw<{ id: string }[]>`
    SELECT id FROM "VirtualCluster"
     WHERE id = ${clusterId} AND "leaseUntil" >= ${NOW_UTC}
       AND NOT ("leaseOwner" = ${holder.owner} AND "leaseToken" = ${holder.token})`;
  return rows.length === 1;
}

/** Releases every lease `owner` still holds, due now (graceful shutdown of a worker with steps cut short). */
export async function releaseAllOf(db: Queryable, owner: string): Promise<number> {
  return db.$executeRaw`
    UPDATE "VirtualCluster" SET "leaseOwner" = NULL, "leaseUntil" = NULL, "nextReconcileAt" = ${NOW_UTC}
     WHERE "leaseOwner" = ${owner}`;
}

/** Milliseconds until the next row becomes claimable (0 if one is due now), or null when none is scheduled. */
export async function msUntilNextDue(db: Queryable): Promise<number | null> {
  const rows = await db.$queryRaw<{ ms: number | null }[]>`
    SELECT (EXTRACT(EPOCH FROM (min(GREATEST("nextReconcileAt", COALESCE("leaseUntil", "nextReconcileAt"))) - ${NOW_UTC})) * 1000)::float8 AS ms
      FROM "VirtualCluster"
     WHERE phase NOT IN (${PARKED_SQL}) AND "nextReconcileAt" < ${PARKED_UNTIL_SQL}`;
  const ms = rows[0]?.ms;
  return ms === null || ms === undefined ? null : Math.max(0, Number(ms));
}

// ───────────────────────────── LISTEN vcp_reconcile ─────────────────────────────

export type ListenerOptions = {
  connectionString: string;
  /** Called with the cluster id of every NOTIFY (after the enqueuing transaction committed). */
  onNotify: (clusterId: string) => void;
  /** Called when the connection was (re)established: something may have been enqueued while it was down. */
  onConnect?: () => void;
  channel?: string;
  /** Delay before reconnecting after the connection dropped (doubles up to 30 s). */
  reconnectMs?: number;
};

/**
 * A dedicated pg connection LISTENing on `vcp_reconcile`. NOTIFY only wakes workers early: if the
 * connection is down, polling still finds the work. Reconnects with backoff until stopped.
 */
export class ReconcileListener {
  private client: pg.Client | null = null;
  private stopped = false;
  private timer: NodeJS.Timeout | null = null;
  private delay: number;
  connected = false;

  constructor(private readonly opts: ListenerOptions) {
    this.delay = opts.reconnectMs ?? 1_000;
  }

  async start(): Promise<void> {
    this.stopped = false;
    await this.connect();
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new pg.Client({ connectionString: this.opts.connectionString, application_name: "vcp-worker-listen" });
    const channel = this.opts.channel ?? RECONCILE_CHANNEL;
    client.on("notification", (msg) => {
      if (msg.channel === channel && msg.payload) this.opts.onNotify(msg.payload);
    });
    client.on("error", (e) => {
      log.warn({ err: e.message }, "reconcile listener connection error; polling continues");
      this.drop(client);
    });
    client.on("end", () => this.drop(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      if (this.stopped) {
        await client.end().catch(() => {});
        return;
      }
      this.client = client;
      this.connected = true;
      this.delay = this.opts.reconnectMs ?? 1_000;
      this.opts.onConnect?.();
    } catch (e) {
      log.warn({ err: (e as Error).message }, "reconcile listener could not connect; polling continues, retrying");
      await client.end().catch(() => {});
      this.schedule();
    }
  }

  private drop(client: pg.Client) {
    if (this.client !== client) return;
    this.client = null;
    this.connected = false;
    client.removeAllListeners("end");
    client.end().catch(() => {});
    this.schedule();
  }

  private schedule() {
    if (this.stopped || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.connect();
    }, this.delay);
    this.timer.unref?.();
    this.delay = Math.min(this.delay * 2, 30_000);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const c = this.client;
    this.client = null;
    this.connected = false;
    if (c) {
      c.removeAllListeners("end");
      await c.end().catch(() => {});
    }
  }
}

/**
 * A watch saw something change on a host (lib/reconciler/host-watches.ts): the clusters in that namespace (of
 * that release) that are waiting — not parked, not idle — become due now, and a step running for one of them
 * learns at its release (hostChangedAt). Returns how many clusters became due (they were NOTIFYed).
 */
export async function markHostChanged(db: Queryable, change: { hostId: string; namespace: string; release: string | null }): Promise<number> {
  const release = change.release === null ? Prisma.sql`true` : Prisma.sql`"releaseName" = ${change.release}`;
  const rows = await db.$queryRaw<{ due: boolean }[]>`
    UPDATE "VirtualCluster"
       SET "hostChangedAt" = ${NOW_UTC},
           "nextReconcileAt" = LEAST("nextReconcileAt", ${NOW_UTC})
     WHERE "hostClusterId" = ${change.hostId} AND namespace = ${change.namespace} AND ${release}
       AND phase NOT IN (${PARKED_SQL})
       AND "nextReconcileAt" < ${PARKED_UNTIL_SQL}
    RETURNING ("leaseUntil" IS NULL OR "leaseUntil" < ${NOW_UTC}) AS due`;
  const due = rows.filter((r) => r.due).length;
  if (due > 0) await db.$executeRaw`SELECT pg_notify(${RECONCILE_CHANNEL}, '')`;
  return due;
}
