/**
 * npm run bench -- sweeps: the periodic sweeps' database cost at 10,000 and 100,000 clusters (most of them
 * history, as on a long-lived portal: 90 % DELETED, the rest live, some past their lifetime or waiting for an
 * approval), each printed against a plain primary-key lookup measured in the same run on the same table.
 * The host is left out (drift reads an inventory that says everything is in place), so these are the sweeps'
 * PostgreSQL and Node costs alone. Nothing here asserts a time.
 */
import os from "node:os";
import { randomBytes } from "node:crypto";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { HostOps, HostOpsFactory } from "@/lib/reconciler/host-ops";
import { createMigratedTemplate, createTestDatabase } from "@/scripts/testenv/database";
import { startPostgres } from "@/scripts/testenv/postgres";

const SIZES = [10_000, 100_000];
const f1 = (n: number) => n.toFixed(1);

async function median(times: number, fn: () => Promise<unknown>): Promise<number> {
  const ms: number[] = [];
  for (let i = 0; i < times; i++) {
    const t0 = performance.now();
    await fn();
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  return ms[Math.floor(ms.length / 2)]!;
}

/** N clusters in one INSERT … SELECT generate_series: 90 % DELETED, 9 % READY/SLEEPING, 0.5 % expired, 0.5 % pending. */
async function fill(db: PrismaClient, n: number) {
  const team = await db.team.findUniqueOrThrow({ where: { slug: "platform" } });
  const owner = await db.user.findUniqueOrThrow({ where: { email: "admin@example.com" } });
  const version = await db.templateVersion.findFirstOrThrow({ where: { template: { slug: "sandbox" } } });
  const host = await db.hostCluster.findUniqueOrThrow({ where: { name: "local" } });
  await db.$executeRawUnsafe(`DELETE FROM "VirtualCluster"`);
  await db.$executeRawUnsafe(
    `INSERT INTO "VirtualCluster" (id, name, "teamId", "ownerId", "templateVersionId", "cpuMillicores", "memoryMiB", "hostClusterId",
        namespace, "releaseName", phase, "desiredState", generation, "observedGeneration", "expiresAt", "nextReconcileAt", "createdAt", "updatedAt")
     SELECT 'bench' || i, 'c' || i, $1, $2, $3, 1000, 2048, CASE WHEN i % 200 = 199 THEN NULL ELSE $4 END,
        'vc-platform-c' || i || '-bench', 'c' || i,
        (CASE WHEN i % 10 < 9 THEN 'DELETED' WHEN i % 200 = 199 THEN 'PENDING_APPROVAL' WHEN i % 2 = 0 THEN 'READY' ELSE 'SLEEPING' END)::"ClusterPhase",
        (CASE WHEN i % 10 < 9 THEN 'DELETED' WHEN i % 20 = 19 THEN 'SLEEPING' ELSE 'RUNNING' END)::"DesiredState",
        1, 1,
        CASE WHEN i % 200 = 9 THEN now() - interval '1 hour' ELSE now() + interval '8 hours' END,
        '9999-01-01', now() - (i || ' seconds')::interval, now()
     FROM generate_series(0, ${n - 1}) AS i`,
    team.id,
    owner.id,
    version.id,
    host.id,
  );
  await db.$executeRawUnsafe(`ANALYZE "VirtualCluster"`);
}

/** A host that has everything the rows say: the drift sweep's database and bookkeeping work, without a host. */
function inPlaceHost(db: PrismaClient): HostOpsFactory {
  let inventory: Awaited<ReturnType<NonNullable<HostOps["inventory"]>>> | null = null;
  const unused = async () => {
    throw new Error("not used by the sweeps bench");
  };
  return () => ({
    observe: unused,
    applyHostObjects: unused,
    install: unused,
    releaseStatus: unused,
    sleep: unused,
    removeWorkloadPods: unused,
    wake: unused,
    deleteAll: unused,
    inventory: async () => {
      if (!inventory) {
        const rows = await db.virtualCluster.findMany({ where: { phase: { in: ["READY", "SLEEPING"] } }, select: { namespace: true, releaseName: true, desiredState: true } });
        inventory = {
          namespaces: new Set(rows.map((r) => r.namespace!)),
          controlPlanes: new Map(rows.map((r) => [`${r.namespace}/${r.releaseName}`, { paused: r.desiredState === "SLEEPING", replicas: r.desiredState === "SLEEPING" ? 0 : 1 }])),
        };
      }
      return inventory;
    },
  });
}

export async function run(): Promise<void> {
  console.log(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? "?"}, Node ${process.version}`);
  const pg = await startPostgres({ name: "bench-sweeps" });
  try {
    process.env.DATABASE_URL = pg.adminUrl;
    process.env.LOG_LEVEL ??= "error";
    process.env.PORTAL_ENCRYPTION_KEY ??= randomBytes(32).toString("base64");
    await createMigratedTemplate(pg.adminUrl, { seeded: true });
    const database = await createTestDatabase(pg.adminUrl, { seeded: true, name: "vcp_bench_sweeps" });
    const { createPrisma } = await import("@/lib/db/client");
    const { driftSweep, dueForExpiry, usageSnapshotSweep } = await import("@/lib/reconciler/sweeps");
    const { approvalTimeoutSweep } = await import("@/lib/reconciler/approval-timeout-sweep");
    const db = createPrisma(database.url, 4);
    try {
      console.log("\n| clusters | live | baseline: PK lookup ms | expiry read ms (×) | drift sweep ms (×) | usage snapshot ms (×) | approval-timeout read ms (×) |");
      console.log("| --- | --- | --- | --- | --- | --- | --- |");
      for (const n of SIZES) {
        await fill(db, n);
        const live = await db.virtualCluster.count({ where: { phase: { in: ["READY", "SLEEPING"] } } });
        const baseline = await median(50, () => db.virtualCluster.findUnique({ where: { id: `bench${Math.floor(n / 2)}` }, select: { id: true } }));
        const expiry = await median(7, () => dueForExpiry(db, new Date(), 200));
        const drift = await median(3, () => driftSweep(db, inPlaceHost(db)));
        const usage = await median(5, () => usageSnapshotSweep(db));
        // Read-only: the cutoff is far in the past, so nothing is rejected and every run reads the same rows.
        const approvals = await median(7, () => approvalTimeoutSweep(db, { timeoutHours: 24 * 365 * 10 }));
        const x = (ms: number) => `${f1(ms)} (${f1(ms / baseline)}×)`;
        console.log(`| ${n} | ${live} | ${baseline.toFixed(2)} | ${x(expiry)} | ${x(drift)} | ${x(usage)} | ${x(approvals)} |`);
      }
      const plan = await db.$queryRawUnsafe<{ "QUERY PLAN": string }[]>(
        `EXPLAIN SELECT id FROM "VirtualCluster" WHERE "expiresAt" <= now() AND "expiredAt" IS NULL AND phase IN ('PROVISIONING','READY','SLEEPING','FAILED') ORDER BY "expiresAt" LIMIT 200`,
      );
      console.log(`\nexpiry read plan: ${plan.map((p) => p["QUERY PLAN"].trim()).join(" / ")}`);
      console.log("The drift sweep's own cost grows with the live clusters it checks (a page of 1,000 at a time); the others read only rows their partial indexes hold.");
    } finally {
      await db.$disconnect();
    }
  } finally {
    await pg.stop();
  }
}
