// Integration: quota, names and placement under real concurrency, through the /api/v1 route handlers and a
// real PostgreSQL (many requests in flight at once on separate connections of the pool).
import { beforeAll, describe, expect, it, vi } from "vitest";
import { useTestDatabase } from "@/scripts/testenv/per-file";

vi.mock("server-only", () => ({}));

const { POST: createCluster } = await import("@/app/api/v1/clusters/route");
const { createApiToken } = await import("@/lib/domain/create-api-token");
const { SYSTEM_ACTOR } = await import("@/lib/domain/context");
const { LIVE_PHASES } = await import("@/lib/lifecycle/phases");

const testDb = useTestDatabase({ seeded: true });
let token: string;
let ip = 0;

function post(body: unknown) {
  return createCluster(
    new Request("http://localhost:3000/api/v1/clusters", {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json", "x-forwarded-for": `203.0.113.${++ip % 250}` },
      body: JSON.stringify(body),
    }),
  );
}

beforeAll(async () => {
  const operator = { db: testDb.prisma(), actor: { ...SYSTEM_ACTOR, memberships: [] } };
  token = (await createApiToken(operator, { email: "lead.payments@example.com", name: "burst", scopes: "read,write" })).token;
});

async function liveOf(team: string) {
  const rows = await testDb.prisma().virtualCluster.findMany({ where: { team: { slug: team }, phase: { in: LIVE_PHASES } } });
  return { count: rows.length, cpu: rows.reduce((s, r) => s + r.cpuMillicores, 0), memory: rows.reduce((s, r) => s + r.memoryMiB, 0) };
}

describe("under concurrency, through the HTTP API", () => {
  it("50 concurrent requests for a team with room for 5: exactly 5 created, 45 clear 422s, totals within the quota", async () => {
    const res = await Promise.all(Array.from({ length: 50 }, (_, i) => post({ team: "payments", template: "sandbox", name: `burst-${i}`, parameters: { size: "small" } })));
    const statuses = res.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(5);
    expect(statuses.filter((s) => s === 422)).toHaveLength(45);
    const refusal = (await res.find((r) => r.status === 422)!.json()) as { error: { code: string; message: string } };
    expect(refusal.error.code).toBe("QUOTA_EXCEEDED");
    expect(refusal.error.message).toMatch(/cluster|quota/i);
    const live = await liveOf("payments");
    const quota = await testDb.prisma().teamQuota.findFirstOrThrow({ where: { team: { slug: "payments" } } });
    expect(live.count).toBe(quota.maxClusters);
    expect(live.cpu).toBeLessThanOrEqual(quota.cpuMillicores);
    expect(live.memory).toBeLessThanOrEqual(quota.memoryMiB);
    await testDb.prisma().virtualCluster.updateMany({ where: { team: { slug: "payments" } }, data: { phase: "DELETED", desiredState: "DELETED" } });
  });

  it("20 concurrent requests for one name: one 201, nineteen 409s", async () => {
    const res = await Promise.all(Array.from({ length: 20 }, () => post({ team: "payments", template: "sandbox", name: "same-name" })));
    const statuses = res.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
    expect((await testDb.prisma().virtualCluster.findMany({ where: { name: "same-name", phase: { in: LIVE_PHASES } } })).length).toBe(1);
    await testDb.prisma().virtualCluster.updateMany({ where: { team: { slug: "payments" } }, data: { phase: "DELETED", desiredState: "DELETED" } });
  });

  it("concurrent placement on a nearly full host never overcommits it", async () => {
    const prisma = testDb.prisma();
    // Room for exactly three small sandboxes (1 CPU each) on the only host.
    await prisma.hostCluster.update({ where: { name: "local" }, data: { capacityCpuMillicores: 3000 } });
    try {
      const res = await Promise.all(Array.from({ length: 5 }, (_, i) => post({ team: "payments", template: "sandbox", name: `tight-${i}` })));
      const statuses = res.map((r) => r.status);
      expect(statuses.filter((s) => s === 201)).toHaveLength(3);
      expect(statuses.filter((s) => s === 503)).toHaveLength(2);
      const placed = await prisma.virtualCluster.aggregate({ where: { hostCluster: { name: "local" }, phase: { in: LIVE_PHASES } }, _sum: { cpuMillicores: true } });
      expect(placed._sum.cpuMillicores).toBe(3000);
    } finally {
      await prisma.hostCluster.update({ where: { name: "local" }, data: { capacityCpuMillicores: 32000 } });
    }
  });
});
