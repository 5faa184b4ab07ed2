import { afterEach, describe, expect, it, vi } from "vitest";
import { useTestDatabase } from "@/scripts/testenv/per-file";
import { GET, dynamic, runtime } from "@/app/api/metrics/route";
import { kubeconfigDownloads } from "./registry";
import { DB_METRICS_TTL_MS } from "./scrape";

const testDb = useTestDatabase({ seeded: true });
// Read by env() on the first scrape (env() is memoized per module instance).
const TOKEN = "metrics-token-for-the-integration-test";
process.env.METRICS_TOKEN = TOKEN;
const scrape = (authorization?: string) =>
  GET(new Request("http://localhost:3000/api/metrics", { headers: authorization === undefined ? {} : { authorization } }));

afterEach(() => {
  vi.useRealTimers();
});

describe("GET /api/metrics", () => {
  it("serves process and database-derived metrics in the Prometheus text format", async () => {
    expect(dynamic).toBe("force-dynamic");
    expect(runtime).toBe("nodejs");
    const prisma = testDb.prisma();
    const team = await prisma.team.findUniqueOrThrow({ where: { slug: "payments" } });
    const owner = await prisma.user.findUniqueOrThrow({ where: { email: "dev.payments@example.com" } });
    const version = await prisma.templateVersion.findFirstOrThrow({ where: { template: { slug: "sandbox" } } });
    const base = { teamId: team.id, ownerId: owner.id, templateVersionId: version.id, cpuMillicores: 1000, memoryMiB: 2048 };
    const created = new Date(Date.now() - 60_000);
    await prisma.virtualCluster.createMany({
      data: [
        { ...base, name: "m1", phase: "READY", nextReconcileAt: new Date("9999-01-01T00:00:00Z"), createdAt: created, readyAt: new Date(created.getTime() + 12_000) },
        { ...base, name: "m2", phase: "READY", nextReconcileAt: new Date("9999-01-01T00:00:00Z"), createdAt: created, readyAt: new Date(created.getTime() + 40_000) },
        { ...base, name: "m3", phase: "PROVISIONING", nextReconcileAt: new Date(Date.now() - 5_000) },
      ],
    });
    kubeconfigDownloads.inc();

    const res = await scrape(`Bearer ${TOKEN}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(text).toContain('vcp_clusters{phase="READY"} 2');
    expect(text).toContain('vcp_clusters{phase="PROVISIONING"} 1');
    expect(text).toContain('vcp_clusters{phase="DELETED"} 0');
    expect(text).toContain("vcp_reconcile_queue_depth 1");
    expect(text).toMatch(/vcp_reconcile_queue_oldest_due_age_seconds (\d+(\.\d+)?)/);
    expect(Number(/vcp_reconcile_queue_oldest_due_age_seconds ([\d.]+)/.exec(text)![1])).toBeGreaterThanOrEqual(4);
    expect(text).toContain('vcp_cluster_provisioning_duration_seconds_bucket{template="sandbox",le="10"} 0');
    expect(text).toContain('vcp_cluster_provisioning_duration_seconds_bucket{template="sandbox",le="15"} 1');
    expect(text).toContain('vcp_cluster_provisioning_duration_seconds_bucket{template="sandbox",le="45"} 2');
    expect(text).toContain('vcp_cluster_provisioning_duration_seconds_bucket{template="sandbox",le="+Inf"} 2');
    expect(text).toContain('vcp_cluster_provisioning_duration_seconds_sum{template="sandbox"} 52');
    expect(text).toContain('vcp_cluster_provisioning_duration_seconds_count{template="sandbox"} 2');
    expect(text).toContain("# TYPE vcp_cluster_provisioning_duration_seconds histogram");
    expect(text).toMatch(/vcp_kubeconfig_downloads_total [1-9]/);
    expect(text).toContain("# TYPE vcp_kube_request_duration_seconds histogram");
    expect(text).toContain("# TYPE vcp_kube_request_errors_total counter");
    expect(text).toContain("vcp_process_resident_memory_bytes");
  });

  it("answers 401 without the bearer token or with a wrong one", async () => {
    for (const authorization of [undefined, "", `Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(0, -1)}`, `Basic ${TOKEN}`, TOKEN, `Bearer`, `Bearer ${TOKEN} extra`]) {
      const res = await scrape(authorization);
      expect(res.status, String(authorization)).toBe(401);
      expect(res.headers.get("www-authenticate")).toBe('Bearer realm="metrics"');
      expect(await res.text()).not.toContain("vcp_");
    }
    expect((await scrape(`bearer  ${TOKEN}`)).status).toBe(200);
  });

  it("reuses the database-derived metrics for a few seconds, so scrapes cannot hammer the database", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const readyCount = async () => Number(/vcp_clusters\{phase="READY"\} (\d+)/.exec(await (await scrape(`Bearer ${TOKEN}`)).text())![1]);
    vi.setSystemTime(Date.now() + 10 * DB_METRICS_TTL_MS); // past anything the first test cached
    const before = await readyCount();
    const prisma = testDb.prisma();
    const team = await prisma.team.findUniqueOrThrow({ where: { slug: "search" } });
    const owner = await prisma.user.findUniqueOrThrow({ where: { email: "dev.search@example.com" } });
    const version = await prisma.templateVersion.findFirstOrThrow({ where: { template: { slug: "sandbox" } } });
    await prisma.virtualCluster.create({
      data: { teamId: team.id, ownerId: owner.id, templateVersionId: version.id, cpuMillicores: 1000, memoryMiB: 2048, name: "m4", phase: "READY", nextReconcileAt: new Date("9999-01-01T00:00:00Z") },
    });
    // Within the TTL: the same figures, no new queries (ten scrapes in a row).
    for (let i = 0; i < 10; i++) expect(await readyCount()).toBe(before);
    vi.setSystemTime(Date.now() + DB_METRICS_TTL_MS + 1);
    expect(await readyCount()).toBe(before + 1);
  });
});

describe("GET /api/metrics without METRICS_TOKEN", () => {
  it("is off: 404 whatever the request carries", async () => {
    delete process.env.METRICS_TOKEN;
    vi.resetModules(); // a fresh env() that reads the environment again
    try {
      const route = await import("@/app/api/metrics/route");
      for (const authorization of [undefined, `Bearer ${TOKEN}`, "Bearer "]) {
        const res = await route.GET(new Request("http://localhost:3000/api/metrics", { headers: authorization ? { authorization } : {} }));
        expect(res.status).toBe(404);
        expect(await res.text()).not.toContain("vcp_");
      }
    } finally {
      process.env.METRICS_TOKEN = TOKEN;
    }
  });
});
