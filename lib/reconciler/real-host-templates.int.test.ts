// Every seeded template on both pinned chart versions, provisioned on the real local host cluster
// (scripts/testenv/real-host-reconciler.ts) from a real request.
import { describe, expect, it } from "vitest";
import { orNull } from "@/lib/kube/errors";
import { approveRequest } from "@/lib/domain/approve-request";
import { createTemplateVersion } from "@/lib/domain/create-template-version";
import { seedTemplates } from "@/prisma/seed-data";
import { waitForPhase } from "@/scripts/testenv/fake-host";
import { setUpRealHostReconciler } from "@/scripts/testenv/real-host-reconciler";

const host = setUpRealHostReconciler();
const { startWorker, request, dropFromHost } = host;

describe("every seeded template on both pinned chart versions", () => {
  it("reaches READY from a real request, approved where the template asks for it", async () => {
    startWorker({ concurrency: 6 });
    const requested = [] as { template: string; chart: string; id: string }[];
    for (const t of seedTemplates) {
      for (const chart of ["0.30.0", "0.36.1"]) {
        {
          // An admin publishes the template on this chart line, through the use case (schema-checked).
          const k8s = chart === "0.30.0" ? "1.34" : "1.36";
          await createTemplateVersion(host.team.admin, {
            templateSlug: t.slug,
            description: `on chart ${chart}`,
            kubernetesVersion: k8s,
            chartVersion: chart,
            valuesYaml: t.version.valuesYaml,
            parametersJson: JSON.stringify(t.version.parameters.map((p) => (p.name === "kubernetesVersion" && p.type === "enum" ? { ...p, options: [k8s], default: k8s } : p))),
            cpuMillicores: t.version.cpuMillicores,
            memoryMiB: t.version.memoryMiB,
            defaultTtlHours: t.version.defaultTtlHours,
            maxTtlHours: t.version.maxTtlHours,
            approval: t.version.approval,
            expiryAction: t.version.expiryAction,
            podSecurityStandard: t.version.podSecurityStandard,
          });
        }
        const c = await request(t.slug);
        if (c.phase === "PENDING_APPROVAL") await approveRequest(host.team.admin, { clusterId: c.id });
        requested.push({ template: t.slug, chart, id: c.id });
      }
    }
    for (const r of requested) {
      const ready = await waitForPhase(host.prisma, r.id, "READY", 180_000);
      const row = await host.prisma.virtualCluster.findUniqueOrThrow({ where: { id: r.id }, include: { templateVersion: true } });
      expect(row.templateVersion.chartVersion).toBe(r.chart);
      const sts = await orNull(host.kube.apps.readNamespacedStatefulSet({ name: ready.releaseName!, namespace: ready.namespace! }));
      const cp = sts ?? (await host.kube.apps.readNamespacedDeployment({ name: ready.releaseName!, namespace: ready.namespace! }));
      expect(cp.metadata?.labels).toMatchObject({ app: "vcluster", release: ready.releaseName, chart: `vcluster-${r.chart}` });
      expect(cp.spec?.template.spec?.containers.find((x) => x.name === "syncer")?.image).toBe(`ghcr.io/loft-sh/vcluster-oss:${r.chart}`);
      expect((await host.kube.core.listNamespacedResourceQuota({ namespace: ready.namespace! })).items).toHaveLength(1);
      expect((await host.kube.core.listNamespacedLimitRange({ namespace: ready.namespace! })).items).toHaveLength(1);
    }
    const rows = await host.prisma.virtualCluster.findMany({ where: { id: { in: requested.map((r) => r.id) } } });
    await dropFromHost(rows);
  });
});
