/**
 * npm run bench -- provisioning [--clusters=50] [--workers=1,2,4] [--concurrency=1] [--qps=20] [--burst=40]
 *                               [--emulator-poll-ms=500] [--timeout=300] [--template=sandbox] [--keep-cluster]
 *
 * Provisions N virtual clusters through the real request use case (requestCluster) and the real reconciler
 * (Worker, helm driver, the real vcluster chart from the local chart repository) on a local host cluster of its own ("bench", port base 18400),
 * with the vcluster emulator in LIGHT mode playing the control planes. Once per worker count, each on a fresh
 * database and a fresh team (own namespaces), the host cleaned in between. Prints throughput, request→READY
 * percentiles, where the time went, and Kubernetes API calls per cluster against the minimum. It is a
 * benchmark: nothing here asserts a time. See docs/benchmarks.md for what is counted and how to read it.
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Histogram } from "prom-client";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { ClusterSpec } from "@/lib/kube/cluster-spec";
import type { HostOps, HostOpsFactory } from "@/lib/reconciler/host-ops";
import { ensureVclusterCharts, serveChartRepository } from "@/scripts/k8s/chart-repo";
import { downCluster, upCluster } from "@/scripts/k8s/lifecycle";
import { binDir, instanceDir } from "@/scripts/k8s/locations";
import { PROCESSES } from "@/scripts/k8s/processes";
import { createMigratedTemplate, createTestDatabase } from "@/scripts/testenv/database";
import { startPostgres } from "@/scripts/testenv/postgres";
import {
  FLOW_HELM,
  FLOW_PORTAL,
  adminConfig,
  deleteNamespaces,
  diffCounts,
  diffCpu,
  pidsMentioning,
  prepareHost,
  processTree,
  sampleCpu,
  readHelmLog,
  serverCounts,
  startEmulatorProcess,
  type CpuGroups,
  type CpuSample,
  type ServerCounts,
} from "./provisioning-host";

const BENCH_CLUSTER = { name: "bench", portBase: 18400 } as const;

type Options = {
  clusters: number;
  workers: number[];
  concurrency: number;
  qps: number;
  burst: number;
  emulatorPollMs: number;
  timeoutS: number;
  template: string;
  keepCluster: boolean;
};

function options(argv: string[]): Options {
  const kv = new Map<string, string>();
  for (const a of argv) {
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(a);
    if (m) kv.set(m[1]!, m[2] ?? "true");
  }
  const int = (k: string, d: number) => {
    const v = kv.get(k);
    if (v === undefined) return d;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new Error(`--${k} must be a non-negative integer (got "${v}")`);
    return n;
  };
  return {
    clusters: Math.max(1, int("clusters", 50)),
    workers: (kv.get("workers") ?? "1,2,4").split(",").map((s) => Math.max(1, Number(s) || 1)),
    concurrency: Math.max(1, int("concurrency", 1)),
    qps: int("qps", 20),
    burst: Math.max(1, int("burst", 40)),
    emulatorPollMs: Math.max(100, int("emulator-poll-ms", 500)),
    timeoutS: Math.max(10, int("timeout", 300)),
    template: kv.get("template") ?? "sandbox",
    keepCluster: kv.has("keep-cluster"),
  };
}

// ───────────────────────────── measurement helpers ─────────────────────────────

type Span = { start: number; end: number };

/** Per-cluster spans of steps and of host operations (kube client calls vs helm processes), plus op errors. */
class Recorder {
  readonly steps = new Map<string, Span[]>();
  readonly kube = new Map<string, Span[]>();
  readonly helm = new Map<string, Span[]>();
  readonly errors = new Map<string, number>();
  private readonly open = new Map<string, number>();

  private push(m: Map<string, Span[]>, id: string, s: Span) {
    const l = m.get(id);
    if (l) l.push(s);
    else m.set(id, [s]);
  }

  readonly probe = {
    stepStarted: (id: string) => this.open.set(id, Date.now()),
    stepFinished: (id: string) => {
      const start = this.open.get(id);
      this.open.delete(id);
      if (start !== undefined) this.push(this.steps, id, { start, end: Date.now() });
    },
  };

  /** Wraps every host operation to time it per cluster. */
  wrap(inner: HostOpsFactory): HostOpsFactory {
    return (host) => {
      const ops = inner(host);
      const timed =
        <R>(kind: "kube" | "helm", name: string, fn: (spec: ClusterSpec) => Promise<R>) =>
        async (spec: ClusterSpec): Promise<R> => {
          const start = Date.now();
          try {
            return await fn(spec);
          } catch (e) {
            const key = `${name}: ${(e as Error).message.split("\n")[0]!.slice(0, 140)}`;
            this.errors.set(key, (this.errors.get(key) ?? 0) + 1);
            throw e;
          } finally {
            this.push(kind === "kube" ? this.kube : this.helm, spec.clusterId, { start, end: Date.now() });
          }
        };
      const wrapped: HostOps = {
        observe: timed("kube", "observe", ops.observe),
        applyHostObjects: timed("kube", "applyHostObjects", ops.applyHostObjects),
        install: timed("helm", "install", ops.install),
        releaseStatus: timed("helm", "releaseStatus", ops.releaseStatus),
        sleep: timed("kube", "sleep", ops.sleep),
        removeWorkloadPods: timed("kube", "removeWorkloadPods", ops.removeWorkloadPods),
        wake: timed("kube", "wake", ops.wake),
        deleteAll: timed("helm", "deleteAll", ops.deleteAll),
      };
      return wrapped;
    };
  }
}

/** Milliseconds of `spans` inside [from, to]. */
function within(spans: Span[] | undefined, from: number, to: number): number {
  let ms = 0;
  for (const s of spans ?? []) ms += Math.max(0, Math.min(s.end, to) - Math.max(s.start, from));
  return ms;
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

type Histo = { count: number; sum: number; byLabel: Map<string, number> };

async function readHistogram(h: Histogram<string>, key?: (l: Partial<Record<string, string | number>>) => string): Promise<Histo> {
  const out: Histo = { count: 0, sum: 0, byLabel: new Map() };
  for (const v of (await h.get()).values) {
    if (v.metricName?.endsWith("_count")) {
      out.count += v.value;
      if (key) out.byLabel.set(key(v.labels), (out.byLabel.get(key(v.labels)) ?? 0) + v.value);
    } else if (v.metricName?.endsWith("_sum")) out.sum += v.value;
  }
  return out;
}

const f1 = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : "-");
const f2 = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : "-");
const pct = (part: number, whole: number) => (whole > 0 ? `${((100 * part) / whole).toFixed(1)}%` : "-");

// ───────────────────────────── one run ─────────────────────────────

type RunResult = {
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
  portalCalls: number;
  portalCallsByKind: Map<string, number>;
  server: ServerCounts;
  errors: Map<string, number>;
  loadBefore: number[];
  loadAfter: number[];
  cleanup: string;
};

type Libs = Awaited<ReturnType<typeof loadLibs>>;

async function loadLibs() {
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
  };
}

type Ctx = { libs: Libs; opts: Options; adminUrl: string; helmLog: string; adminKubeconfig: string; emulatorLog: string; cpuGroups: CpuGroups };

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

async function runOnce(ctx: Ctx, label: string, workers: number, clusters: number, slug: string, { cleanup }: { cleanup: boolean }): Promise<RunResult & { db: PrismaClient; teamId: string }> {
  const { libs, opts } = ctx;
  const { database, db, teamId, member } = await setupDatabase(ctx, slug);
  const admin = adminConfig(ctx.adminKubeconfig);

  // Fresh client (token bucket) and metrics per run.
  libs.forgetHostClient();
  for (const m of [libs.kubeRequestDuration, libs.kubeRateLimitWait, libs.kubeRequestErrors, libs.reconcileClaimLatency, libs.reconcileStepDuration, libs.reconcileSteps]) m.reset();
  fs.writeFileSync(ctx.helmLog, "");
  const rec = new Recorder();
  const serverBefore = await serverCounts(admin);
  const cpuBefore = sampleCpu(ctx.cpuGroups);
  const loadBefore = os.loadavg();

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
        hostOps: rec.wrap(libs.kubeHostOps),
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
  while (Date.now() < deadline) {
    rows = await db.virtualCluster.findMany({ where: { teamId }, select: { id: true, name: true, namespace: true, phase: true, createdAt: true, readyAt: true, lastError: true } });
    if (rows.every((r) => r.phase === "READY" || r.phase === "FAILED")) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  await Promise.all(started.map((w) => w.stop({ timeoutMs: 10_000 })));
  const cpu = diffCpu(sampleCpu(ctx.cpuGroups), cpuBefore);
  const loadAfter = os.loadavg();
  const server = diffCounts(await serverCounts(admin), serverBefore);

  const ready = rows.filter((r) => r.phase === "READY" && r.readyAt);
  const durations = ready.map((r) => (r.readyAt!.getTime() - r.createdAt.getTime()) / 1000).sort((a, b) => a - b);
  const lastReady = Math.max(...ready.map((r) => r.readyAt!.getTime()));
  const windowS = ready.length ? (lastReady - t0) / 1000 : NaN;
  const firstReadyS = ready.length ? (Math.min(...ready.map((r) => r.readyAt!.getTime())) - t0) / 1000 : NaN;
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

// ───────────────────────────── minimum API calls ─────────────────────────────

/** Objects the chart renders for a real cluster's values (helm must write each at least once). */
async function chartObjectCount(libs: Libs, db: PrismaClient, teamId: string): Promise<{ count: number; kinds: string[]; isolateNetwork: boolean; namespace: string; release: string }> {
  const row = await db.virtualCluster.findFirstOrThrow({ where: { teamId }, include: libs.CLUSTER_SPEC_INCLUDE });
  const spec = libs.specFromRow(row);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vcp-bench-tpl-"));
  try {
    const values = path.join(dir, "values.yaml");
    fs.writeFileSync(values, libs.buildVclusterValues(spec));
    const out = execFileSync(path.join(binDir(), "helm"), ["template", spec.releaseName, spec.chart.name, "--repo", spec.chart.repo, "--version", spec.chart.version, "--values", values, "--namespace", spec.namespace], { encoding: "utf8" });
    const kinds = out
      .split(/^---$/m)
      .map((d) => /^kind:\s*(\S+)/m.exec(d)?.[1])
      .filter((k): k is string => Boolean(k));
    return { count: kinds.length, kinds, isolateNetwork: spec.isolateNetwork, namespace: spec.namespace, release: spec.releaseName };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// ───────────────────────────── report ─────────────────────────────

type Minimum = { portal: number; helm: number; portalWhat: string; helmWhat: string };

function report(results: RunResult[], min: Minimum, helmStatusCalls: number | null, opts: Options) {
  const n = (r: RunResult) => Math.max(1, r.ready);
  console.log("\nThroughput and latency (request → READY)");
  console.log(
    "| run | workers × concurrency | READY / requested | wall s (first request → last READY) | clusters/s | first READY s | p50 s | p95 s | max s | p50 first step → READY s | p50 / p95 host done → READY s | steps/cluster | retries |",
  );
  console.log("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
  for (const r of results) {
    console.log(
      `| ${r.label} | ${r.workers} × ${r.concurrency} | ${r.ready} / ${r.requested} | ${f1(r.windowS)} | ${f2(r.throughput)} | ${f1(r.firstReadyS)} | ${f1(r.p50)} | ${f1(r.p95)} | ${f1(r.max)} | ${f1(r.serviceP50)} | ${f1(r.noticeP50)} / ${f1(r.noticeP95)} | ${f1(r.steps / n(r))} | ${r.retries} |`,
    );
  }
  const scaled = results.filter((r) => r.requested === opts.clusters);
  const base = scaled.find((r) => r.workers === 1);
  for (const r of scaled) {
    if (base && r !== base) console.log(`throughput ${r.workers} workers / 1 worker (same run): ${f2(r.throughput / base.throughput)}×`);
  }

  console.log("\nWhere request → READY went (Σ over clusters; portal share = queued + portal code in steps + client rate-limit wait)");
  console.log("| run | Σ request→READY s | queued for a worker | portal code in steps (DB, logic) | kube client calls | of which rate-limit wait | helm processes | waiting for the control plane | portal share |");
  console.log("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
  for (const r of results) {
    const t = r.time;
    const portal = t.queued + t.portalInStep + t.rateLimitWait;
    console.log(
      `| ${r.label} | ${f1(t.total)} | ${pct(t.queued, t.total)} | ${pct(t.portalInStep, t.total)} | ${pct(t.kube, t.total)} | ${pct(t.rateLimitWait, t.total)} | ${pct(t.helm, t.total)} | ${pct(t.waitingForHost, t.total)} | **${pct(portal, t.total)}** |`,
    );
  }
  console.log("\nInside the steps only (Σ step time = worker busy time)");
  console.log("| run | Σ step s | step s / cluster | portal code | kube client calls | helm processes |");
  console.log("| --- | --- | --- | --- | --- | --- |");
  for (const r of results) {
    const t = r.time;
    console.log(`| ${r.label} | ${f1(t.stepTotal)} | ${f2(t.stepTotal / n(r))} | ${pct(t.portalInStep, t.stepTotal)} | ${pct(t.kube, t.stepTotal)} | ${pct(t.helm, t.stepTotal)} |`);
  }

  const cores = os.cpus().length;
  console.log(`\nCPU during the run (workers started → stopped; ${cores} cores), CPU seconds per cluster and share of the machine's capacity`);
  console.log("| run | machine busy | portal process (workers, requests) | PostgreSQL | helm processes | host cluster (apiserver, etcd, controllers, kwok) | emulator (+ shared apiserver, etcd) | other processes on the machine |");
  console.log("| --- | --- | --- | --- | --- | --- | --- | --- |");
  for (const r of results) {
    const c = r.cpu;
    const g = (k: string) => c.groups[k] ?? 0;
    const ours = c.self + c.waitedChildren + g("db") + g("host") + g("emulator");
    const cell = (v: number) => `${f2(v / n(r))} s (${pct(v, c.machineTotal)})`;
    console.log(
      `| ${r.label} | ${pct(c.machineBusy, c.machineTotal)} | ${cell(c.self)} | ${cell(g("db"))} | ${cell(c.waitedChildren)} | ${cell(g("host"))} | ${cell(g("emulator"))} | ${pct(Math.max(0, c.machineBusy - ours), c.machineTotal)} |`,
    );
  }

  console.log(`\nKubernetes API requests per cluster (minimum: portal ${min.portal} = ${min.portalWhat}; helm ${min.helm} = ${min.helmWhat}; total ${min.portal + min.helm})`);
  console.log("| run | portal (client metric) | portal (host APF count) | helm (host APF count) | helm processes | total | portal / min | helm / min | total / min |");
  console.log("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
  for (const r of results) {
    const portal = r.portalCalls / n(r);
    const portalServer = r.server[FLOW_PORTAL].requests / n(r);
    const helm = r.server[FLOW_HELM].requests / n(r);
    const procs = [...r.helmProcesses.values()].reduce((a, b) => a + b, 0) / n(r);
    console.log(
      `| ${r.label} | ${f1(portal)} | ${f1(portalServer)} | ${f1(helm)} | ${f1(procs)} | ${f1(portal + helm)} | ${f2(portal / min.portal)} | ${f2(helm / min.helm)} | ${f2((portal + helm) / (min.portal + min.helm))} |`,
    );
  }
  if (helmStatusCalls !== null) console.log(`  one \`helm status\` of an installed release = ${helmStatusCalls} API requests (measured after the runs)`);
  for (const r of results) {
    const kinds = [...r.portalCallsByKind.entries()].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${f1(v / n(r))}`);
    const procs = [...r.helmProcesses.entries()].map(([k, v]) => `helm ${k} ${f1(v / n(r))}`);
    console.log(`  ${r.label}, per cluster: ${kinds.join(", ")}; ${procs.join(", ")}`);
  }
  for (const r of results) {
    if (r.errors.size) console.log(`  ${r.label}, host operation errors (retried): ${[...r.errors.entries()].map(([k, v]) => `${v}× ${k}`).join(" | ")}`);
  }
  console.log("\nRuns");
  for (const r of results) {
    console.log(`  ${r.label}: requests submitted in ${f1(r.submitS)} s; load average before ${r.loadBefore.map(f2).join(" ")}, after ${r.loadAfter.map(f2).join(" ")}; cleanup: ${r.cleanup}`);
  }
  console.log(
    `  options: --clusters=${opts.clusters} --workers=${opts.workers.join(",")} --concurrency=${opts.concurrency} --qps=${opts.qps} --burst=${opts.burst} --emulator-poll-ms=${opts.emulatorPollMs} --template=${opts.template}`,
  );
}

/** API requests one `helm status` makes (through the wrapper, as the helm identity). */
async function helmStatusCost(helmBin: string, kubeconfig: string, adminKubeconfig: string, namespace: string, release: string): Promise<number | null> {
  const admin = adminConfig(adminKubeconfig);
  try {
    const before = await serverCounts(admin);
    execFileSync(helmBin, ["status", release, "--namespace", namespace, "--output", "json", "--kubeconfig", kubeconfig], { stdio: "ignore" });
    return diffCounts(await serverCounts(admin), before)[FLOW_HELM].requests;
  } catch {
    return null;
  }
}

// ───────────────────────────── main ─────────────────────────────

export async function run(): Promise<void> {
  const opts = options(process.argv.slice(2));
  const began = Date.now();
  const say = (s: string) => console.log(`[${f1((Date.now() - began) / 1000).padStart(6)} s] ${s}`);
  const cpus = os.cpus();
  console.log(`machine: ${cpus.length} × ${cpus[0]?.model ?? "?"}, ${f1(os.totalmem() / 2 ** 30)} GiB RAM, load average ${os.loadavg().map(f2).join(" ")}, Node ${process.version}`);

  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "vcp-bench-prov-"));
  const cleanups: (() => Promise<unknown>)[] = [];
  try {
    say("starting PostgreSQL, migrating and seeding the template database");
    const pg = await startPostgres({ name: "bench" });
    cleanups.push(() => pg.stop());
    // lib/env.ts reads these once, on first use: set before anything calls env().
    process.env.DATABASE_URL = pg.adminUrl;
    process.env.LOG_LEVEL ??= "error";
    process.env.VCP_PROCESS ??= "bench";
    // Not NODE_ENV=development: lib/env.ts wants a real key (any key will do for a throwaway database).
    process.env.PORTAL_ENCRYPTION_KEY ??= randomBytes(32).toString("base64");
    await createMigratedTemplate(pg.adminUrl, { seeded: true });

    say(`starting the local host cluster "${BENCH_CLUSTER.name}" (port base ${BENCH_CLUSTER.portBase})`);
    if (!process.env.PATH?.split(":").includes("/usr/local/go/bin")) process.env.PATH = `${process.env.PATH ?? ""}:/usr/local/go/bin`;
    const cluster = await upCluster({ ...BENCH_CLUSTER, log: (l) => (l.startsWith("[k8s build]") ? say(l) : undefined) });
    if (!opts.keepCluster) cleanups.push(() => downCluster(BENCH_CLUSTER.name));
    const host = await prepareHost(cluster.kubeconfig, path.join(binDir(), "helm"), workDir);
    process.env.KUBECONFIG = host.portalKubeconfig;
    process.env.HELM_BIN = host.helmWrapper;
    await ensureVclusterCharts();
    const charts = await serveChartRepository();
    cleanups.push(() => charts.stop());
    process.env.VCLUSTER_CHART_REPO = charts.url;
    const libs = await loadLibs();
    // A reused bench cluster (--keep-cluster) may hold namespaces of an earlier invocation: start empty.
    const leftovers = await deleteNamespaces(adminConfig(cluster.kubeconfig), `${libs.MANAGED_BY_LABEL}=${libs.MANAGED_BY}`, 180_000);
    if (leftovers.count) say(`removed ${leftovers.count} namespaces left by an earlier invocation`);

    say(`starting the vcluster emulator (light mode, poll ${opts.emulatorPollMs} ms) in a child process`);
    const emulatorLog = path.join(workDir, "emulator.log");
    const emulator = await startEmulatorProcess(cluster.kubeconfig, opts.emulatorPollMs, emulatorLog);
    cleanups.push(() => emulator.stop());

    const hostDir = `${instanceDir(BENCH_CLUSTER.name)}${path.sep}`;
    const postmaster = pidsMentioning(pg.dataDir)[0];
    const cpuGroups: CpuGroups = {
      db: () => (postmaster ? processTree(postmaster) : []),
      host: () => pidsMentioning(hostDir, PROCESSES),
      emulator: () => (emulator.child.pid ? processTree(emulator.child.pid) : []),
    };
    const ctx: Ctx = { libs, opts, adminUrl: pg.adminUrl, helmLog: host.helmLog, adminKubeconfig: cluster.kubeconfig, emulatorLog, cpuGroups };
    // Warm-up (not reported): starts the emulator's shared API server, fills helm's discovery cache and the JIT.
    // Its cluster stays, so the shared API server keeps running for the measured runs.
    say("warm-up: one cluster (not measured)");
    const warm = await runOnce(ctx, "warm-up", 1, 1, "benchwarm", { cleanup: false });
    if (warm.ready !== 1) throw new Error("the warm-up cluster did not become READY; see the messages above");
    say(`warm-up cluster READY in ${f1(warm.p50)} s`);
    const chart = await chartObjectCount(libs, warm.db, warm.teamId);
    await warm.db.$disconnect();
    const portalMin = 3 + (chart.isolateNetwork ? 2 : 0) + 2;
    const min: Minimum = {
      portal: portalMin,
      portalWhat: `apply Namespace, ResourceQuota, LimitRange${chart.isolateNetwork ? ", 2 NetworkPolicies" : ""} + read StatefulSet + read Secret`,
      helm: chart.count + 1,
      helmWhat: `create the chart's ${chart.count} objects (${chart.kinds.join(", ")}) + write the release record once`,
    };

    const results: RunResult[] = [];
    say("solo: one cluster on an idle reconciler (latency without queueing)");
    const solo = await runOnce(ctx, "solo", 1, 1, "benchsolo", { cleanup: true });
    results.push(solo);
    await solo.db.$disconnect().catch(() => {});
    say(`  READY in ${f1(solo.p50)} s; ${solo.cleanup}`);
    for (const [i, w] of opts.workers.entries()) {
      say(`run: ${opts.clusters} clusters, ${w} worker(s) × concurrency ${opts.concurrency}`);
      const last = i === opts.workers.length - 1;
      const r = await runOnce(ctx, `${w} worker${w > 1 ? "s" : ""}`, w, opts.clusters, `bench${w}w`, { cleanup: !last });
      results.push(r);
      if (last) await r.db.$disconnect();
      say(`  ${r.ready}/${r.requested} READY in ${f1(r.windowS)} s (${f2(r.throughput)} clusters/s), p50 ${f1(r.p50)} s, p95 ${f1(r.p95)} s; cleanup: ${r.cleanup}`);
    }
    const helmStatus = await helmStatusCost(host.helmWrapper, host.portalKubeconfig, cluster.kubeconfig, chart.namespace, chart.release);
    report(results, min, helmStatus, opts);
    say(opts.keepCluster ? "done; the bench cluster keeps running (--keep-cluster)" : "done; removing the bench cluster");
  } finally {
    for (const c of cleanups.reverse()) await c().catch((e: Error) => console.error(`cleanup: ${e.message}`));
    fs.rmSync(workDir, { recursive: true, force: true });
    console.log(`total ${f1((Date.now() - began) / 1000)} s`);
  }
}
