import { beforeEach, describe, expect, it, vi } from "vitest";
import type { DomainContext } from "@/lib/domain/context";

// The server action itself, without a database: a refused form never reaches the use case's transaction.
vi.mock("server-only", () => ({}));
vi.mock("next/cache", () => ({ revalidatePath: vi.fn() }));
const db = new Proxy({}, { get: () => { throw new Error("the database must not be touched"); } });
const admin: DomainContext = { db: db as DomainContext["db"], actor: { id: "u1", email: "admin@example.com", isAdmin: true, memberships: [] }, requestId: "r1" };
vi.mock("@/lib/server/domain-context", () => ({ domainContext: async () => admin }));

const { updateTeamQuotaAction } = await import("./actions");

const form = (fields: Record<string, string>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries({ teamId: "t1", maxClusters: "5", cpuCores: "8", memoryGiB: "16", maxLifetimeHours: "72", approvalThresholdPercent: "100", ...fields })) f.set(k, v);
  return f;
};

describe("the quota action", () => {
  beforeEach(() => vi.clearAllMocks());

  it("reports every invalid field at once and sends back what was typed", async () => {
    const state = await updateTeamQuotaAction({ ok: false }, form({ maxClusters: "-1", cpuCores: "-1", memoryGiB: "lots", maxLifetimeHours: "0" }));
    expect(state).toMatchObject({ ok: false, code: "VALIDATION", message: "Please correct the highlighted fields." });
    expect(state.fieldErrors).toEqual({
      maxClusters: ["Clusters must be at least 0"],
      cpuCores: ["CPU must be at least 0"],
      memoryGiB: ["Memory must be a number, e.g. 16 or 0.5"],
      maxLifetimeHours: ["Max lifetime must be at least 1"],
    });
    expect(state.values).toMatchObject({ maxClusters: "-1", cpuCores: "-1", memoryGiB: "lots", maxLifetimeHours: "0" });
  });
});
