import { describe, expect, it } from "vitest";
import { checkQuota } from "./quota";

const limits = { clusters: 5, cpuMillicores: 8000, memoryMiB: 16384, approvalThresholdPercent: 100 };

describe("quota check", () => {
  it("fits within the quota", () => {
    const r = checkQuota(limits, { clusters: 1, cpuMillicores: 2000, memoryMiB: 4096 }, { clusters: 1, cpuMillicores: 2000, memoryMiB: 4096 });
    expect(r).toEqual({ fits: true, needsApproval: false, after: { clusters: 2, cpuMillicores: 4000, memoryMiB: 8192 } });
  });

  it("explains which resource is exceeded", () => {
    const r = checkQuota(limits, { clusters: 4, cpuMillicores: 7000, memoryMiB: 1024 }, { clusters: 1, cpuMillicores: 2000, memoryMiB: 1024 });
    expect(r).toEqual({ fits: false, message: "This request exceeds your team's quota for CPU (2 CPU requested, 1 CPU left)." });
    const full = checkQuota(limits, { clusters: 5, cpuMillicores: 0, memoryMiB: 0 }, { clusters: 1, cpuMillicores: 1, memoryMiB: 1 });
    expect(full.fits).toBe(false);
    expect(!full.fits && full.message).toContain("clusters (5 of 5 in use)");
  });

  it("asks for approval past the team's threshold", () => {
    const r = checkQuota({ ...limits, approvalThresholdPercent: 50 }, { clusters: 2, cpuMillicores: 3000, memoryMiB: 0 }, { clusters: 1, cpuMillicores: 2000, memoryMiB: 0 });
    expect(r.fits && r.needsApproval).toBe(true);
  });
});
