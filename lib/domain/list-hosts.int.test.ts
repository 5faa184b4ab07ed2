// Integration: the Hosts page tells an admin, before anyone requests a cluster, whether each host's chart
// repository offers the chart versions the templates pin — against the real local chart repository.
import { beforeAll, describe, expect, it } from "vitest";
import type { DomainContext } from "@/lib/domain/context";
import { listHosts } from "@/lib/domain/list-hosts";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { actorContext, expectAppError } from "@/scripts/testenv/domain-actors";
import { useTestDatabase } from "@/scripts/testenv/per-file";
import { freePort } from "@/scripts/testenv/postgres";
import { testChartRepo } from "@/scripts/vcluster-emulator/testing";

// lib/env.ts reads this once, on first use.
process.env.VCLUSTER_CHART_REPO = testChartRepo();

const testDb = useTestDatabase({ seeded: true });
let prisma: PrismaClient;
let admin: DomainContext;

beforeAll(async () => {
  prisma = testDb.prisma();
  admin = await actorContext(prisma, "admin@example.com");
});

describe("listHosts: chart versions on each host's repository", () => {
  it("the local repository offers every version the seeded templates pin", async () => {
    const [local] = await listHosts(admin);
    expect(local!.charts.repo).toBe(testChartRepo());
    expect(local!.charts.result).toEqual({ state: "listed", versions: expect.arrayContaining(["0.30.0", "0.36.1"]) });
    expect(local!.charts.pinned.map((p) => p.version)).toEqual(["0.30.0", "0.36.1"]);
    expect(local!.charts.missing).toEqual([]);
  });

  it("names a pinned version the repository lacks, with the templates that pin it, and an unreachable repository", async () => {
    const sandbox = await prisma.templateVersion.findFirstOrThrow({ where: { template: { slug: "sandbox" } }, orderBy: { version: "desc" } });
    const { templateId, valuesYaml, kubernetesVersion, cpuMillicores, memoryMiB, defaultTtlHours, maxTtlHours, parameters, version } = sandbox;
    const data = { templateId, valuesYaml, kubernetesVersion, cpuMillicores, memoryMiB, defaultTtlHours, maxTtlHours, parameters: parameters as object };
    await prisma.templateVersion.create({ data: { ...data, version: version + 1, chartVersion: "0.29.0" } });
    const closed = await freePort(); // nothing listens there
    await prisma.hostCluster.create({ data: { name: "elsewhere", connection: "IN_CLUSTER", chartRepo: `http://127.0.0.1:${closed}/charts`, capacityCpuMillicores: 1000, capacityMemoryMiB: 1024 } });

    const hosts = await listHosts(admin);
    const local = hosts.find((h) => h.name === "local")!;
    expect(local.charts.missing).toEqual(["0.29.0"]);
    expect(local.charts.pinned.find((p) => p.version === "0.29.0")?.templates).toEqual(["Sandbox"]);
    const elsewhere = hosts.find((h) => h.name === "elsewhere")!;
    expect(elsewhere.charts.result).toMatchObject({ state: "unreachable", error: `cannot read http://127.0.0.1:${closed}/charts/index.yaml: ECONNREFUSED` });
  });

  it("is for admins only", async () => {
    await expectAppError(listHosts(await actorContext(prisma, "dev.payments@example.com")), "FORBIDDEN");
  });
});
