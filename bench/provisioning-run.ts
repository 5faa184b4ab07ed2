// One measured run of bench/provisioning.ts: a fresh database and team, N workers, the requests, and what the run
// cost (time, CPU, Kubernetes API requests), read back from the recorder, the metrics and the host.
import fs from "node:fs";
import os from "node:os";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { createTestDatabase } from "@/scripts/testenv/database";
import type { Options } from "./provisioning-options";
import { Recorder, f1, percentile, readHistogram, within } from "./provisioning-measure";
import { adminConfig, deleteNamespaces, diffCounts, diffCpu, readHelmLog, sampleCpu, serverCounts, type CpuGroups, type CpuSample, type ServerCounts } from "./provisioning-host";

export type RunResult = {
  label: string;
  workers: number;
  concurrency: number;
  requested: number;
  ready: number;
  failed: number;
  submitS: number;
  windowS: number;
  throughput: number;
  p50: number;
  p95: number;
  max: number;
  /** First request → first READY (s). */
  firstReadyS: number;
  /**
   * Between the first READY and the last: clusters/s ((READY − 1) ÷ that window) and the machine's busy share then.
   * The whole-window rate also holds the lone cluster's latency (the pipeline filling and draining), which no amount of
   * CPU shortens; this one is the rate the CPU-bound limit speaks of.
   */
  steady: { throughput: number; machineBusyShare: number };
  /** Per cluster, first step started → READY (s): how long a cluster takes once a worker starts on it. */
  serviceP50: number;
  /** Per cluster, the emulator wrote Secret vc-<release> (host side done) → READY recorded (s): p50 / p95. */
  noticeP50: number;
  noticeP95: number;
  steps: number;
  retries: number;
  /** Σ over clusters of request→READY, and its parts (seconds). */
  time: { total: number; queued: number; portalInStep: number; kube: number; rateLimitWait: number; helm: number; waitingForHost: number; stepTotal: number };
  /** CPU seconds during the run (workers started → stopped): whole machine and by component. */
  cpu: CpuSample;
  helmProcesses: Map<string, number>;
  /** Requests the portal sent (lists, reads, applies; each watch opened counts as one). */
  portalCalls: number;
  portalCallsByKind: Map<string, number>;
  /** Whether the run's workers watched the host (else they polled it). */
  watched: boolean;
  server: ServerCounts;
  errors: Map<string, number>;
  loadBefore: number[];
  loadAfter: number[];
  cleanup: string;
};

export type Libs = Awaited<ReturnType<typeof loadLibs>>;

export async function loadLibs() {
  return {
    ...(await import("@/lib/db/client")),
    ...(await import("@/lib/domain/request-cluster")),
    ...(await import("@/lib/kube/client")),
    ...(await import("@/lib/kube/metrics")),
    ...(await import("@/lib/kube/cluster-spec")),
    ...(await import("@/lib/kube/host-objects")),
    ...(await import("@/lib/metrics/registry")),
    ...(await import("@/lib/reconciler/host-ops")),
    ...(await import("@/lib/domain/spec-from-row")),
    ...(await import("@/lib/reconciler/worker")),
    ...(await import("@/lib/reconciler/host-watches")),
    log: (await import("@/lib/log")).log,
  };
}

export type Ctx = { libs: Libs; opts: Options; adminUrl: string; helmLog: string; adminKubeconfig: string; emulatorLog: string; cpuGroups: CpuGroups };

/** When the emulator wrote each namespace's Secret vc-<release> (ms), from its timestamped log. */
function secretsWritten(emulatorLog: string): Map<string, number> {
  const out = new Map<string, number>();
  if (!fs.existsSync(emulatorLog)) return out;
  for (const line of fs.readFileSync(emulatorLog, "utf8").split("\n")) {
    const m = /^(\d+) \[emulator\] wrote Secret ([^/\s]+)\/vc-/.exec(line);
    if (m && !out.has(m[2]!)) out.set(m[2]!, Number(m[1]));
  }
  return out;
}

async function setupDatabase(ctx: Ctx, slug: string) {
  const { libs, opts } = ctx;
  const database = await createTestDatabase(ctx.adminUrl, { seeded: true, name: `vcp_bench_${slug}_${process.pid}` });
  const db = libs.createPrisma(database.url, 8);
  const team = await db.team.create({
    data: {
      slug,
      name: `Bench ${slug}`,
      quota: { create: { maxClusters: 10_000, cpuMillicores: 100_000_000, memoryMiB: 1_000_000_000, maxLifetimeHours: 720, approvalThresholdPercent: 100 } },
    },
  });
  const user = await db.user.create({ data: { email: `bench@${slug}.example.com`, name: `Bench ${slug}`, memberships: { create: { teamId: team.id, role: "MEMBER" } } } });
  // The seeded host "local" (connection LOCAL → KUBECONFIG): room for every cluster, the chosen client budget.
  await db.hostCluster.update({
    where: { name: "local" },
    data: { clientQps: opts.qps, clientBurst: opts.burst, capacityCpuMillicores: 100_000_000, capacityMemoryMiB: 1_000_000_000, maxClusters: 10_000 },
  });
  const actor = { id: user.id, email: user.email, isAdmin: false, memberships: [{ teamId: team.id, role: "MEMBER" as const }] };
  return { database, db, teamId: team.id, member: { db, actor, requestId: `bench-${slug}` } };
}

export async function runOnce(ctx: Ctx, label: string, workers: number, clusters: number, slug: string, { cleanup }: { cleanup: boolean }): Promise<RunResult & { db: PrismaClient; teamId: string }> {
  const { libs, opts } = ctx;
  const { database, db, teamId, member } = await setupDatabase(ctx, slug);
  const admin = adminConfig(ctx.adminKubeconfig);

  // Fresh client (token bucket) and metrics per run.
  libs.forgetHostClient();
  for (const m of [libs.kubeRequestDuration, libs.kubeRateLimitWait, libs.kubeRequestErrors, libs.kubeWatchRequests, libs.reconcileClaimLatency, libs.reconcileStepDuration, libs.reconcileSteps]) m.reset();
  fs.writeFileSync(ctx.helmLog, "");
  const rec = new Recorder();
  const serverBefore = await serverCounts(admin);
  const cpuBefore = sampleCpu(ctx.cpuGroups);
  const loadBefore = os.loadavg();

  // One set of host watches for the process, shared by its workers (as scripts/worker.ts does for its one worker).
  const watches = opts.watch ? new libs.HostWatches({ db, log: libs.log }) : undefined;
  await watches?.start();
  if (watches && !(await watches.synced(30_000))) throw new Error("the host watches did not sync within 30 s");
  const hostOps = rec.wrap(libs.kubeHostOpsWith(watches));
  const pool: PrismaClient[] = [];
  const started = [];
  for (let i = 0; i < workers; i++) {
    const wdb = libs.createPrisma(database.url, opts.concurrency + 4);
    pool.push(wdb);
    started.push(
      new libs.Worker({
        db: wdb,
        databaseUrl: database.url,
        id: `bench-${slug}-w${i + 1}`,
        concurrency: opts.concurrency,
        hostOps,
        probe: rec.probe,
        sweeps: false,
      }),
    );
  }
  await Promise.all(started.map((w) => w.start()));

  // Requests through the real use case, 4 at a time (like a few people clicking at once).
  const t0 = Date.now();
  const names = Array.from({ length: clusters }, (_, i) => `c${String(i + 1).padStart(3, "0")}`);
  let next = 0;
  const submitErrors: string[] = [];
  await Promise.all(
    Array.from({ length: Math.min(4, clusters) }, async () => {
      while (next < names.length) {
        const name = names[next++]!;
        await libs.requestCluster(member, { teamId, templateSlug: opts.template, name }).catch((e: Error) => submitErrors.push(`${name}: ${e.message}`));
      }
    }),
  );
  const submitS = (Date.now() - t0) / 1000;
  if (submitErrors.length) throw new Error(`requests failed:\n${submitErrors.slice(0, 5).join("\n")}`);

  const deadline = t0 + opts.timeoutS * 1000;
  let rows = await db.virtualCluster.findMany({ where: { teamId }, select: { id: true, name: true, namespace: true, phase: true, createdAt: true, readyAt: true, lastError: true } });
  // Machine CPU when the first cluster became READY and when the last did (each seen within one 250 ms poll).
  let cpuAtFirstReady: CpuSample | undefined;
  let cpuAtLastReady: CpuSample | undefined;
  while (Date.now() < deadline) {
    rows = await db.virtualCluster.findMany({ where: { teamId }, select: { id: true, name: true, namespace: true, phase: true, createdAt: true, readyAt: true, lastError: true } });
    if (!cpuAtFirstReady && rows.some((r) => r.phase === "READY")) cpuAtFirstReady = sampleCpu(ctx.cpuGroups);
    if (rows.every((r) => r.phase === "READY" || r.phase === "FAILED")) {
      cpuAtLastReady = sampleCpu(ctx.cpuGroups);
      break;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  await Promise.all(started.map((w) => w.stop({ timeoutMs: 10_000 })));
  await watches?.stop();
  const cpu = diffCpu(sampleCpu(ctx.cpuGroups), cpuBefore);
  const loadAfter = os.loadavg();
  const server = diffCounts(await serverCounts(admin), serverBefore);

  const ready = rows.filter((r) => r.phase === "READY" && r.readyAt);
  const durations = ready.map((r) => (r.readyAt!.getTime() - r.createdAt.getTime()) / 1000).sort((a, b) => a - b);
  const lastReady = Math.max(...ready.map((r) => r.readyAt!.getTime()));
  const windowS = ready.length ? (lastReady - t0) / 1000 : NaN;
  const firstReady = Math.min(...ready.map((r) => r.readyAt!.getTime()));
  const firstReadyS = ready.length ? (firstReady - t0) / 1000 : NaN;
  const steadyS = (lastReady - firstReady) / 1000;
  const steadyCpu = cpuAtFirstReady && cpuAtLastReady ? diffCpu(cpuAtLastReady, cpuAtFirstReady) : undefined;
  const steady = {
    throughput: ready.length > 1 && steadyS > 0 ? (ready.length - 1) / steadyS : NaN,
    machineBusyShare: steadyCpu && steadyCpu.machineTotal > 0 ? steadyCpu.machineBusy / steadyCpu.machineTotal : NaN,
  };
  const service = ready
    .map((r) => (r.readyAt!.getTime() - Math.min(...(rec.steps.get(r.id) ?? [{ start: r.createdAt.getTime() }]).map((x) => x.start))) / 1000)
    .sort((a, b) => a - b);
  const written = secretsWritten(ctx.emulatorLog);
  const notice = ready
    .filter((r) => r.namespace && written.has(r.namespace))
    .map((r) => (r.readyAt!.getTime() - written.get(r.namespace!)!) / 1000)
    .sort((a, b) => a - b);

  // Where the time went, summed over the clusters that became READY (each from its request to its READY).
  const kubeHisto = await readHistogram(libs.kubeRequestDuration, (l) => `${l.verb} ${l.resource}${l.code === "200" || l.code === "201" ? "" : ` (${l.code})`}`);
  for (const v of (await libs.kubeWatchRequests.get()).values) {
    kubeHisto.count += v.value;
    kubeHisto.byLabel.set(`watch ${v.labels.resource}`, (kubeHisto.byLabel.get(`watch ${v.labels.resource}`) ?? 0) + v.value);
  }
  const waitHisto = await readHistogram(libs.kubeRateLimitWait);
  const claimHisto = await readHistogram(libs.reconcileClaimLatency);
  const stepCount = (await libs.reconcileSteps.get()).values.reduce((a, v) => a + v.value, 0);
  const retries = (await libs.reconcileSteps.get()).values.filter((v) => v.labels.outcome === "retry" || v.labels.outcome === "failed").reduce((a, v) => a + v.value, 0);
  let total = 0;
  let stepTotal = 0;
  let kube = 0;
  let helm = 0;
  for (const r of ready) {
    const from = r.createdAt.getTime();
    const to = r.readyAt!.getTime();
    total += to - from;
    stepTotal += within(rec.steps.get(r.id), from, to);
    kube += within(rec.kube.get(r.id), from, to);
    helm += within(rec.helm.get(r.id), from, to);
  }
  const queued = claimHisto.sum * 1000;
  const time = {
    total: total / 1000,
    stepTotal: stepTotal / 1000,
    queued: queued / 1000,
    portalInStep: (stepTotal - kube - helm) / 1000,
    kube: kube / 1000,
    rateLimitWait: waitHisto.sum,
    helm: helm / 1000,
    waitingForHost: Math.max(0, total - stepTotal - queued) / 1000,
  };

  const helmProcesses = new Map<string, number>();
  for (const p of readHelmLog(ctx.helmLog)) helmProcesses.set(p.cmd, (helmProcesses.get(p.cmd) ?? 0) + 1);

  let cleanupNote = "none (left to the teardown)";
  if (cleanup) {
    const c = await deleteNamespaces(admin, `${libs.TEAM_ID_LABEL}=${teamId}`, 180_000);
    cleanupNote = c.seconds === null ? `${c.count} namespaces still terminating after 180 s` : `${c.count} namespaces deleted in ${f1(c.seconds)} s`;
  }
  for (const p of pool) await p.$disconnect();

  const result = {
    label,
    workers,
    concurrency: opts.concurrency,
    requested: clusters,
    ready: ready.length,
    failed: rows.filter((r) => r.phase === "FAILED").length,
    submitS,
    windowS,
    throughput: ready.length / windowS,
    p50: percentile(durations, 50),
    p95: percentile(durations, 95),
    max: durations[durations.length - 1] ?? NaN,
    firstReadyS,
    steady,
    serviceP50: percentile(service, 50),
    noticeP50: percentile(notice, 50),
    noticeP95: percentile(notice, 95),
    steps: stepCount,
    retries,
    time,
    cpu,
    helmProcesses,
    portalCalls: kubeHisto.count,
    portalCallsByKind: kubeHisto.byLabel,
    watched: Boolean(watches),
    server,
    errors: rec.errors,
    loadBefore,
    loadAfter,
    cleanup: cleanupNote,
    db,
    teamId,
  };
  if (cleanup) {
    await db.$disconnect();
    await database.drop();
  }
  const notReady = rows.filter((r) => r.phase !== "READY");
  if (notReady.length) {
    console.log(`  ! ${notReady.length} of ${clusters} not READY after ${opts.timeoutS} s: ${notReady.slice(0, 3).map((r) => `${r.name} ${r.phase} ${r.lastError ?? ""}`).join("; ")}`);
  }
  return result;
}
