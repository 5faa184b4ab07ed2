import { describe, expect, it } from "vitest";
import { checkQuota, quotaImpact } from "./quota";

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

describe("quota impact of approving one request", () => {
  it("adds the request to what is admitted", () => {
    const r = quotaImpact(limits, { clusters: 3, cpuMillicores: 5000, memoryMiB: 10240 }, { clusters: 1, cpuMillicores: 2000, memoryMiB: 4096 }, 1);
    expect(r).toEqual({ limits, committed: { clusters: 3, cpuMillicores: 5000, memoryMiB: 10240 }, after: { clusters: 4, cpuMillicores: 7000, memoryMiB: 14336 }, fits: true, otherPending: 1 });
  });

  it("flags a request that would exceed any limit", () => {
    expect(quotaImpact(limits, { clusters: 5, cpuMillicores: 0, memoryMiB: 0 }, { clusters: 1, cpuMillicores: 1, memoryMiB: 1 }).fits).toBe(false);
    expect(quotaImpact(limits, { clusters: 0, cpuMillicores: 7000, memoryMiB: 0 }, { clusters: 1, cpuMillicores: 2000, memoryMiB: 1 }).fits).toBe(false);
    expect(quotaImpact(limits, { clusters: 0, cpuMillicores: 0, memoryMiB: 16000 }, { clusters: 1, cpuMillicores: 1, memoryMiB: 1024 }).fits).toBe(false);
  });

  it("fits exactly at the limit, and always without a quota", () => {
    expect(quotaImpact(limits, { clusters: 4, cpuMillicores: 6000, memoryMiB: 12288 }, { clusters: 1, cpuMillicores: 2000, memoryMiB: 4096 }).fits).toBe(true);
    expect(quotaImpact(null, { clusters: 100, cpuMillicores: 1e6, memoryMiB: 1e6 }, { clusters: 1, cpuMillicores: 1, memoryMiB: 1 }).fits).toBe(true);
  });
});
