// Integration: the failed-token limiter of /api/v1 keys on the client address only as far as TRUSTED_PROXIES
// vouch for X-Forwarded-For. Real route handler, real PostgreSQL.
import { afterAll, describe, expect, it, vi } from "vitest";
import { useTestDatabase } from "@/scripts/testenv/per-file";

vi.mock("server-only", () => ({}));
useTestDatabase({ seeded: true });

const configured = process.env.TRUSTED_PROXIES;
afterAll(() => {
  process.env.TRUSTED_PROXIES = configured;
});

/** The route handler, loaded afresh with this TRUSTED_PROXIES (env() and the limiters are per module instance). */
async function listClustersWith(trustedProxies: string) {
  process.env.TRUSTED_PROXIES = trustedProxies;
  vi.resetModules();
  return (await import("@/app/api/v1/clusters/route")).GET;
}

const garbage = (xff: string) =>
  new Request("http://localhost:3000/api/v1/clusters", { headers: { authorization: "Bearer vcp_not-a-real-token-at-all", "x-forwarded-for": xff } });

describe("failed API token attempts by client address", () => {
  it("without trusted proxies, rotating X-Forwarded-For does not evade the limiter", async () => {
    const GET = await listClustersWith("");
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await GET(garbage(`198.51.100.${i + 1}`))).status);
    expect(statuses).toEqual([...Array(10).fill(401), 429, 429]);
  });

  it("behind trusted proxies, each client has its own bucket and spoofed hops to its left change nothing", async () => {
    const GET = await listClustersWith("10.0.0.0/8");
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await GET(garbage(`192.0.2.${i + 1}, 203.0.113.10, 10.0.0.2`))).status);
    expect(statuses).toEqual([...Array(10).fill(401), 429, 429]);
    // Another client behind the same proxy is not affected.
    expect((await GET(garbage("203.0.113.11, 10.0.0.2"))).status).toBe(401);
  });
});
