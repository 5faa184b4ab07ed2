import { Gauge, Registry } from "prom-client";
import type { ClusterPhase } from "@/lib/generated/prisma/enums";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { queueStats } from "@/lib/metrics/queue-stats";
import { PROVISIONING_BUCKETS } from "./registry";

// Metrics derived from the database at scrape time. They describe the whole fleet, not one process, so they
// are complete whichever web replica answers and survive restarts: clusters by phase, the reconcile queue,
// and request→READY durations of every cluster that ever became ready (readyAt − createdAt).

const PHASES: ClusterPhase[] = ["PENDING_APPROVAL", "PROVISIONING", "READY", "SLEEPING", "DELETING", "DELETED", "REJECTED", "FAILED", "EXPIRED"];

type Sample = { labels: Record<string, string | number>; value: number; metricName?: string };

/**
 * A histogram whose buckets are computed by SQL at scrape time (prom-client's Histogram can only observe).
 * Registered as a plain metric object: prom-client's registry only needs name/help/type/get().
 */
class DbHistogram {
  readonly type = "histogram";
  readonly aggregator = "sum";
  constructor(
    readonly name: string,
    readonly help: string,
    private readonly read: () => Promise<{ labels: Record<string, string>; buckets: number[]; sum: number; count: number }[]>,
    private readonly bounds: number[],
  ) {}

  async get() {
    const values: Sample[] = [];
    for (const series of await this.read()) {
      this.bounds.forEach((le, i) => values.push({ metricName: `${this.name}_bucket`, labels: { ...series.labels, le }, value: series.buckets[i] ?? 0 }));
      values.push({ metricName: `${this.name}_bucket`, labels: { ...series.labels, le: "+Inf" }, value: series.count });
      values.push({ metricName: `${this.name}_sum`, labels: series.labels, value: series.sum });
      values.push({ metricName: `${this.name}_count`, labels: series.labels, value: series.count });
    }
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator };
  }

  reset() {}
}

export async function provisioningHistogramRows(db: PrismaClient, bounds: number[] = PROVISIONING_BUCKETS) {
  const rows = await db.$queryRawUnsafe<{ template: string; count: bigint | number; sum: number | null; buckets: (bigint | number)[] }[]>(`
    SELECT t.slug AS template,
           count(*) AS count,
           sum(d)::float8 AS sum,
           ARRAY[${bounds.map((b) => `count(*) FILTER (WHERE d <= ${Number(b)})`).join(", ")}] AS buckets
      FROM (SELECT "templateVersionId", EXTRACT(EPOCH FROM ("readyAt" - "createdAt")) AS d
              FROM "VirtualCluster" WHERE "readyAt" IS NOT NULL) v
      JOIN "TemplateVersion" tv ON tv.id = v."templateVersionId"
      JOIN "Template" t ON t.id = tv."templateId"
     GROUP BY t.slug
     ORDER BY t.slug`);
  return rows.map((r) => ({ labels: { template: r.template }, count: Number(r.count), sum: Number(r.sum ?? 0), buckets: r.buckets.map(Number) }));
}

/** A registry whose metrics query `db` at every scrape. Create it once per process. */
export function createDbRegistry(getDb: () => PrismaClient): Registry {
  const reg = new Registry();

  new Gauge({
    name: "vcp_clusters",
    help: "Virtual clusters by phase (from the database at scrape time).",
    labelNames: ["phase"],
    registers: [reg],
    async collect() {
      const rows = await getDb().virtualCluster.groupBy({ by: ["phase"], _count: { _all: true } });
      const counts = new Map(rows.map((r) => [r.phase, r._count._all]));
      for (const p of PHASES) this.set({ phase: p }, counts.get(p) ?? 0);
    },
  });

  const stats = { at: 0, value: null as Awaited<ReturnType<typeof queueStats>> | null };
  const readStats = async () => {
    // The three queue gauges share one query per scrape.
    if (!stats.value || Date.now() - stats.at > 1_000) stats.value = await queueStats(getDb());
    stats.at = Date.now();
    return stats.value;
  };
  new Gauge({
    name: "vcp_reconcile_queue_depth",
    help: "Clusters due for a reconcile step now (waiting or being worked on).",
    registers: [reg],
    async collect() {
      this.set((await readStats()).depth);
    },
  });
  new Gauge({
    name: "vcp_reconcile_queue_leased",
    help: "Clusters a worker holds a lease on now.",
    registers: [reg],
    async collect() {
      this.set((await readStats()).leased);
    },
  });
  new Gauge({
    name: "vcp_reconcile_queue_oldest_due_age_seconds",
    help: "How long the oldest due cluster has been due (0 when the queue is empty). Growing = workers are behind or down.",
    registers: [reg],
    async collect() {
      this.set((await readStats()).oldestDueAgeSeconds);
    },
  });
  new Gauge({
    name: "vcp_clusters_retrying",
    help: "Clusters whose last reconcile step failed and that are waiting to retry (attempts > 0).",
    registers: [reg],
    async collect() {
      this.set(await getDb().virtualCluster.count({ where: { attempts: { gt: 0 }, phase: { notIn: ["DELETED", "REJECTED", "EXPIRED", "FAILED"] } } }));
    },
  });

  reg.registerMetric(
    new DbHistogram(
      "vcp_cluster_provisioning_duration_seconds",
      "Request→READY of every cluster that became ready (readyAt − createdAt, from the database; includes approval waits).",
      () => provisioningHistogramRows(getDb()),
      PROVISIONING_BUCKETS,
    ) as unknown as Parameters<Registry["registerMetric"]>[0],
  );
  return reg;
}
