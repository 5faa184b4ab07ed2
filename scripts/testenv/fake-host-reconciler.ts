// Shared setup of the reconciler's state-machine tests (lib/reconciler/reconcile-*.int.test.ts): a real PostgreSQL
// per test file and an in-memory host (FakeHost) per test, with fast polling and backoff.
import { afterAll, afterEach, beforeAll } from "vitest";
import { createPrisma } from "@/lib/db/client";
import type { DomainContext } from "@/lib/domain/context";
import { requestCluster } from "@/lib/domain/request-cluster";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { PARKED_UNTIL } from "@/lib/domain/enqueue";
import { Worker, type WorkerOptions } from "@/lib/reconciler/worker";
import { createTestTeam, type FakeHost } from "./fake-host";
import { testNamespacePrefix, useTestDatabase } from "./per-file";

export const FAST_STEP = { readyPollMs: 100, deletePollMs: 100, backoff: { baseMs: 50, capMs: 400 } };

export interface FakeHostSuite {
  readonly prisma: PrismaClient;
  readonly team: Awaited<ReturnType<typeof createTestTeam>>;
  /** A worker on this file's database against `host`; stopped after each test. */
  startWorker(host: FakeHost, over?: Partial<WorkerOptions>): Worker;
  /** A cluster of `template` requested by `ctx` (the team's member), named c<n>. */
  request(template?: string, ctx?: DomainContext): ReturnType<typeof requestCluster>;
  /** The cluster's timeline event types, oldest first. */
  events(clusterId: string): Promise<string[]>;
  /** Earlier tests used other FakeHosts: their clusters would "vanish" from this one. Retires them. */
  retireOtherClusters(keep: string): Promise<void>;
}

/** How often `type` occurs in `list`. */
export function count(list: string[], type: string): number {
  return list.filter((t) => t === type).length;
}

/** Call at the top level of a test file: its database, team and hooks. */
export function setUpFakeHostReconciler(): FakeHostSuite {
  const testDb = useTestDatabase({ seeded: true });
  let prisma: PrismaClient | undefined;
  let team: FakeHostSuite["team"] | undefined;
  const workers: Worker[] = [];
  let n = 0;
  const ready = <T>(v: T | undefined): T => {
    if (v === undefined) throw new Error("setUpFakeHostReconciler(): only available in tests and hooks (after beforeAll ran)");
    return v;
  };

  const suite: FakeHostSuite = {
    get prisma() {
      return ready(prisma);
    },
    get team() {
      return ready(team);
    },
    startWorker(host, over = {}) {
      const w = new Worker({ db: suite.prisma, databaseUrl: testDb.url(), concurrency: 4, leaseSeconds: 5, pollMs: 200, hostOps: host.factory(), sweeps: false, step: FAST_STEP, ...over });
      workers.push(w);
      void w.start();
      return w;
    },
    request(template = "sandbox", ctx = suite.team.member) {
      return requestCluster(ctx, { teamId: suite.team.teamId, templateSlug: template, name: `c${++n}` });
    },
    async events(clusterId) {
      return (await suite.prisma.clusterEvent.findMany({ where: { clusterId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] })).map((e) => e.type);
    },
    async retireOtherClusters(keep) {
      await suite.prisma.virtualCluster.updateMany({ where: { id: { not: keep }, phase: { in: ["READY", "SLEEPING"] } }, data: { phase: "DELETED" } });
    },
  };

  beforeAll(async () => {
    prisma = createPrisma(testDb.url(), 16);
    team = await createTestTeam(prisma, testNamespacePrefix().slice(0, 20).replace(/-+$/, ""));
  });
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.stop({ timeoutMs: 2_000 })));
    // Every test brings its own FakeHost: park what earlier tests left due (e.g. a READY cluster whose dead
    // worker never released it), so the next test's worker does not reconcile it against the wrong host.
    await suite.prisma.virtualCluster.updateMany({ data: { nextReconcileAt: PARKED_UNTIL, leaseOwner: null, leaseUntil: null } });
  });
  afterAll(async () => {
    await prisma?.$disconnect();
  });

  return suite;
}
