import { describe, expect, it } from "vitest";
import { useTestDatabase } from "@/scripts/testenv/per-file";
import { GET, dynamic, runtime } from "@/app/api/metrics/route";
import { kubeconfigDownloads } from "./registry";

const testDb = useTestDatabase({ seeded: true });

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

    const res = await GET();
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
});
