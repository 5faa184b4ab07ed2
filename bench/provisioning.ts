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
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ensureVclusterCharts, serveChartRepository } from "@/scripts/k8s/chart-repo";
import { downCluster, upCluster } from "@/scripts/k8s/lifecycle";
import { binDir, instanceDir } from "@/scripts/k8s/locations";
import { PROCESSES } from "@/scripts/k8s/processes";
import { createMigratedTemplate } from "@/scripts/testenv/database";
import { startPostgres } from "@/scripts/testenv/postgres";
import { adminConfig, deleteNamespaces, pidsMentioning, prepareHost, processTree, startEmulatorProcess, type CpuGroups } from "./provisioning-host";
import { f1, f2, pct } from "./provisioning-measure";
import { options } from "./provisioning-options";
import { chartObjectCount, helmStatusCost, report, type Minimum } from "./provisioning-report";
import { loadLibs, runOnce, type Ctx, type RunResult } from "./provisioning-run";

const BENCH_CLUSTER = { name: "bench", portBase: 18400 } as const;

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
    const min: Minimum = {
      portal: chart.hostObjects.length + 2,
      portalWhat: `apply ${chart.hostObjects.join(", ")} + see the control plane once (a read, or its share of a watch) + read Secret`,
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
      say(`  ${r.ready}/${r.requested} READY in ${f1(r.windowS)} s (${f2(r.throughput)} clusters/s; ${f2(r.steady.throughput)}/s from the first READY on, machine ${pct(r.steady.machineBusyShare, 1)} busy then), p50 ${f1(r.p50)} s, p95 ${f1(r.p95)} s; cleanup: ${r.cleanup}`);
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
