import { describe, expect, it } from "vitest";
import { quotaImpact } from "@/lib/lifecycle/quota";
import { combinedImpact, decisionErrors, impactText, type QueueItem } from "./approval-queue";

const limits = { clusters: 5, cpuMillicores: 8000, memoryMiB: 16384, approvalThresholdPercent: 100 };
const item = (id: string, teamId: string, cpu: number): QueueItem => ({
  id,
  name: id,
  requestedAt: "2026-01-01T00:00:00Z",
  requester: { email: "dev@example.com", name: null },
  team: { id: teamId, slug: teamId, name: teamId },
  template: { slug: "team-dev", name: "Team dev", version: 1 },
  why: "template",
  ttlHours: 72,
  parameters: {},
  request: { clusters: 1, cpuMillicores: cpu, memoryMiB: 4096 },
  impact: quotaImpact(limits, { inUse: { clusters: 3, cpuMillicores: 5000, memoryMiB: 8192 }, pending: { clusters: 2, cpuMillicores: 4000, memoryMiB: 8192 } }, { clusters: 1, cpuMillicores: cpu, memoryMiB: 4096 }),
});

describe("approval impact texts", () => {
  it("says what the team has in use after approval, the unit once", () => {
    expect(impactText({ clusters: 4, cpuMillicores: 7000, memoryMiB: 14336 }, limits)).toBe("in use after approval: 4 of 5 clusters, 7 of 8 CPU, 14 of 16 GiB");
    expect(impactText({ clusters: 1, cpuMillicores: 0, memoryMiB: 0 }, limits)).toBe("in use after approval: 1 of 5 clusters, 0 of 8 CPU, 0 of 16 GiB");
    expect(impactText({ clusters: 1, cpuMillicores: 500, memoryMiB: 512 }, null)).toBe("in use after approval: 1 cluster, 0.5 CPU, 512 MiB (no quota set)");
  });

  it("adds up several requests of one team", () => {
    const [t] = combinedImpact([item("a", "payments", 2000), item("b", "payments", 2000)]);
    expect(t).toMatchObject({ count: 2, after: { clusters: 5, cpuMillicores: 9000, memoryMiB: 16384 }, fits: false });
    expect(combinedImpact([item("a", "payments", 1000), item("c", "search", 1000)])).toHaveLength(2);
  });
});

describe("the decision dialog's check", () => {
  it("needs a reason to reject, not to approve", () => {
    expect(decisionErrors("reject", "  ")).toEqual({ reason: ["Say why, so the requester can act on it"] });
    expect(decisionErrors("reject", "no")).toEqual({ reason: ["Say why, so the requester can act on it"] });
    expect(decisionErrors("reject", "Use a Sandbox")).toEqual({});
    expect(decisionErrors("approve", "")).toEqual({});
    expect(decisionErrors("approve", "x".repeat(501))).toEqual({ reason: ["Keep the reason under 500 characters"] });
  });
});
