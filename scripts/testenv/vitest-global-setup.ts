// globalSetup of the vitest `integration` project: one PostgreSQL server with the migrated (+ seeded)
// template databases, and the local host cluster `test`, for the whole run.
import type { TestProject } from "vitest/node";
import { ensureVclusterCharts, serveChartRepository } from "../k8s/chart-repo";
import { upTestCluster } from "./cluster";
import { createMigratedTemplate } from "./database";
import { findPostgresBin, startPostgres } from "./postgres";

const log = (line: string) => console.error(`[testenv] ${line}`);

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const t0 = Date.now();
  // What this tier needs from the machine, before anything starts: a clear message naming the package if not.
  findPostgresBin();
  // The cluster may have to start (or, the very first time, be built): run it alongside Postgres.
  const clusterPromise = upTestCluster();
  clusterPromise.catch(() => {}); // awaited below; avoid an unhandled rejection while Postgres starts

  const pg = await startPostgres({ name: "vitest" });
  try {
    log(`postgres ready on port ${pg.port} in ${Date.now() - t0} ms`);
    const t = await createMigratedTemplate(pg.adminUrl, { seeded: true });
    log(`templates ready: migrate ${t.timings.migrateMs} ms, seed ${t.timings.seedMs} ms`);
    const cluster = await clusterPromise;
    log(`kubernetes "${cluster.server}" ${cluster.reused ? "reused" : "started"}; total setup ${Date.now() - t0} ms`);
    // The real loft-sh/vcluster charts (built with helm, so after the cluster's binaries), served as a Helm repository.
    await ensureVclusterCharts(log);
    const charts = await serveChartRepository();
    log(`vcluster chart repository ${charts.url}`);

    project.provide("TEST_PG_ADMIN_URL", pg.adminUrl);
    project.provide("TEST_KUBECONFIG", cluster.kubeconfig);
    project.provide("TEST_CHART_REPO", charts.url);
    // Also for code that reads the environment (test workers inherit it).
    process.env.TEST_PG_ADMIN_URL = pg.adminUrl;
    process.env.TEST_KUBECONFIG = cluster.kubeconfig;
    process.env.VCLUSTER_CHART_REPO = charts.url;

    return async () => {
      await charts.stop();
      await pg.stop();
      await cluster.release();
    };
  } catch (err) {
    await pg.stop();
    await clusterPromise.then((c) => c.release()).catch(() => {});
    throw err;
  }
}
