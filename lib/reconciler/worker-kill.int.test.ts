// Real processes, real faults: two `scripts/worker.ts` processes reconcile against the real host cluster (helm,
// the real vcluster chart, the emulator) while the test SIGKILLs one of them — with its helm child, as a node
// losing power would — every few seconds, through provisioning, sleep, wake and delete. No seam in product code
// decides where a kill lands. At the end PostgreSQL and the API server must agree: every cluster reached every
// goal exactly once, no release is left pending, no namespace outlives its row, the quota is free again.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrisma } from "@/lib/db/client";
import { LIVE_PHASES } from "@/lib/lifecycle/phases";
import { deleteCluster } from "@/lib/domain/delete-cluster";
import { requestCluster } from "@/lib/domain/request-cluster";
import { sleepCluster } from "@/lib/domain/sleep-cluster";
import { wakeCluster } from "@/lib/domain/wake-cluster";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { hostClient, type KubeClient } from "@/lib/kube/client";
import { binDir, repoRoot } from "@/scripts/k8s/locations";
import { testKubeconfig, testNamespacePrefix, useTestDatabase } from "@/scripts/testenv/per-file";
import { startEmulator, type Emulator } from "@/scripts/vcluster-emulator/emulator";
import { testChartRepo } from "@/scripts/vcluster-emulator/testing";
import { createTestTeam, waitForPhase } from "@/scripts/testenv/fake-host";

// lib/env.ts reads these once, on first use (the host client of the test reads the local host's kubeconfig).
process.env.KUBECONFIG = testKubeconfig();
const testDb = useTestDatabase({ seeded: true });
const slug = testNamespacePrefix().slice(0, 20).replace(/-+$/, "");
let prisma: PrismaClient;
let kube: KubeClient;
let emulator: Emulator;
let team: Awaited<ReturnType<typeof createTestTeam>>;

const workers = new Set<ChildProcess>();
let killed = 0;
let chaos: NodeJS.Timeout | undefined;

function startWorkerProcess(): ChildProcess {
  const child = spawn(path.join(repoRoot, "node_modules", ".bin", "tsx"), ["scripts/worker.ts"], {
    cwd: repoRoot,
    // Its own process group: a kill takes its helm child with it.
    detached: true,
    stdio: ["ignore", "ignore", "inherit"],
    env: {
      ...process.env,
      DATABASE_URL: testDb.url(),
      KUBECONFIG: testKubeconfig(),
      HELM_BIN: path.join(binDir(), "helm"),
      HELM_TIMEOUT_SECONDS: "30",
      VCLUSTER_CHART_REPO: testChartRepo(),
      RECONCILE_LEASE_SECONDS: "6",
      WORKER_CONCURRENCY: "4",
      WORKER_METRICS_PORT: "0",
      LOG_LEVEL: "error",
    },
  });
  workers.add(child);
  child.on("exit", () => workers.delete(child));
  return child;
}

function killHard(child: ChildProcess) {
  try {
    process.kill(-child.pid!, "SIGKILL");
    killed++;
  } catch {
    /* already gone */
  }
}

/**
 * Every 6–12 s one of the two workers dies with SIGKILL and a fresh one takes its place: often enough to land
 * inside every kind of step (a worker takes ~3 s to start, a step up to a few seconds, helm ~1 s), rarely
 * enough that work still gets done between kills.
 */
function startChaos() {
  const tick = () => {
    const victim = [...workers][Math.floor(Math.random() * workers.size)];
    if (victim) killHard(victim);
    startWorkerProcess();
    chaos = setTimeout(tick, 6_000 + Math.random() * 6_000);
  };
  chaos = setTimeout(tick, 4_000);
}

function releasesIn(namespace: string, all = true): string[] {
  const out = execFileSync(path.join(binDir(), "helm"), ["list", ...(all ? ["--all"] : []), "--output", "json", "--namespace", namespace, "--kubeconfig", testKubeconfig()], { encoding: "utf8" });
  return (JSON.parse(out) as { name: string; status: string }[]).map((r) => `${r.name}:${r.status}`);
}

beforeAll(async () => {
  prisma = createPrisma(testDb.url(), 8);
  team = await createTestTeam(prisma, slug);
  kube = hostClient({ id: "kill-test", connection: "LOCAL", kubeconfigEncrypted: null, clientQps: 50, clientBurst: 100 });
  emulator = await startEmulator({ hostKubeconfig: testKubeconfig(), namespacePrefix: `vc-${slug}-`, pollMs: 300, log: () => {} });
});

afterAll(async () => {
  clearTimeout(chaos);
  for (const w of [...workers]) killHard(w);
  if (!kube) return;
  for (const ns of (await kube.core.listNamespace({ labelSelector: `vcluster-portal.dev/team-id=${team.teamId}` })).items) {
    await kube.core.deleteNamespace({ name: ns.metadata!.name! }).catch(() => {});
  }
  await emulator?.stop();
  await prisma?.$disconnect();
});

describe("worker processes killed with SIGKILL at random moments", () => {
  it("provision, sleep, wake and delete each converge exactly once; nothing is orphaned or left pending", async () => {
    startWorkerProcess();
    startWorkerProcess();
    startChaos();
    const clusters = [];
    for (let i = 0; i < 3; i++) clusters.push(await requestCluster(team.member, { teamId: team.teamId, templateSlug: "sandbox", name: `k${i}` }));

    const stage = (what: string) => console.info(`[chaos] ${what} (${killed} kills so far)`);
    for (const c of clusters) await waitForPhase(prisma, c.id, "READY", 240_000);
    stage("all READY");
    for (const c of clusters) await sleepCluster(team.member, { clusterId: c.id });
    for (const c of clusters) await waitForPhase(prisma, c.id, "SLEEPING", 240_000);
    stage("all SLEEPING");
    for (const c of clusters) await wakeCluster(team.member, { clusterId: c.id });
    for (const c of clusters) await waitForPhase(prisma, c.id, "READY", 240_000);
    stage("all READY again");
    for (const c of clusters) expect(releasesIn(c.namespace!)).toEqual([`${c.releaseName}:deployed`]);
    for (const c of clusters) await deleteCluster(team.member, { clusterId: c.id });
    for (const c of clusters) await waitForPhase(prisma, c.id, "DELETED", 240_000);
    stage("all DELETED");
    clearTimeout(chaos);
    console.info(`[chaos] ${killed} worker processes killed with SIGKILL during the run`);
    expect(killed).toBeGreaterThanOrEqual(5);

    for (const c of clusters) {
      const types = (await prisma.clusterEvent.findMany({ where: { clusterId: c.id }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] })).map((e) => e.type);
      // Each goal reached once: one first ready, one slept, one resumed, one deleted — whatever was killed when.
      for (const t of ["requested", "ready", "sleep-requested", "slept", "wake-requested", "resumed", "delete-requested", "deleted"]) {
        expect(types.filter((x) => x === t), `${c.name}: ${types.join(", ")}`).toHaveLength(1);
      }
        expect(types.filter((x) => x === "failed")).toHaveLength(0);
    }
    // The host agrees: no namespace of this team, no release anywhere in its namespaces.
    const left = await kube.core.listNamespace({ labelSelector: `vcluster-portal.dev/team-id=${team.teamId}` });
    expect(left.items.filter((ns) => !ns.metadata?.deletionTimestamp).map((ns) => ns.metadata?.name)).toEqual([]);
    for (const c of clusters) expect(await releasesIn(c.namespace!)).toEqual([]);
    // The quota is free again.
    expect(await prisma.virtualCluster.count({ where: { teamId: team.teamId, phase: { in: LIVE_PHASES } } })).toBe(0);
  }, 900_000);
});
