import { describe, expect, it } from "vitest";
import { NO_RESOURCES, type Resources, checkQuota, quotaImpact, quotaLines, reservedBy, usageLabel, usageWords } from "./quota";

const limits = { clusters: 5, cpuMillicores: 8000, memoryMiB: 16384, approvalThresholdPercent: 100 };
const inUse = (r: Resources) => ({ inUse: r, pending: NO_RESOURCES });

describe("the quota vocabulary", () => {
  // One team: 1 ready cluster (2 CPU, 4 GiB) and 1 request waiting for approval (2 CPU, 4 GiB).
  const usage = { inUse: { clusters: 1, cpuMillicores: 2000, memoryMiB: 4096 }, pending: { clusters: 1, cpuMillicores: 2000, memoryMiB: 4096 } };

  it("is in use, waiting and the limit, per resource", () => {
    expect(quotaLines(usage, limits)).toEqual({
      clusters: { inUse: 1, pending: 1, limit: 5 },
      cpuMillicores: { inUse: 2000, pending: 2000, limit: 8000 },
      memoryMiB: { inUse: 4096, pending: 4096, limit: 16384 },
    });
    expect(quotaLines(usage, null).clusters).toEqual({ inUse: 1, pending: 1, limit: null });
    expect(reservedBy(usage)).toEqual({ clusters: 2, cpuMillicores: 4000, memoryMiB: 8192 });
  });

  it("reads the same short and in words, the unit named once", () => {
    const lines = quotaLines(usage, limits);
    expect(usageLabel("clusters", lines.clusters)).toBe("1 in use + 1 waiting / 5");
    expect(usageLabel("cpuMillicores", lines.cpuMillicores)).toBe("2 in use + 2 waiting / 8 CPU");
    expect(usageLabel("memoryMiB", lines.memoryMiB)).toBe("4 in use + 4 waiting / 16 GiB");
    expect(usageWords("clusters", lines.clusters)).toBe("1 of 5 in use, 1 more waiting for approval");
    expect(usageWords("cpuMillicores", lines.cpuMillicores)).toBe("2 of 8 CPU in use, 2 more waiting for approval");
  });

  it("says nothing of waiting when nothing waits, and 0 as a plain 0", () => {
    expect(usageLabel("memoryMiB", { inUse: 0, pending: 0, limit: 16384 })).toBe("0 in use / 16 GiB");
    expect(usageWords("memoryMiB", { inUse: 0, pending: 0, limit: 16384 })).toBe("0 of 16 GiB in use");
    expect(usageWords("memoryMiB", { inUse: 512, pending: 0, limit: 16384 })).toBe("0.5 of 16 GiB in use");
    expect(usageLabel("memoryMiB", { inUse: 256, pending: 0, limit: 512 })).toBe("256 in use / 512 MiB");
    expect(usageLabel("cpuMillicores", { inUse: 2500, pending: 0, limit: 8000 })).toBe("2.5 in use / 8 CPU");
  });

  it("names the request under review among the waiting ones", () => {
    expect(usageLabel("clusters", { inUse: 1, pending: 1, limit: 5 }, 1)).toBe("1 in use + 1 waiting (this request) / 5");
    expect(usageLabel("clusters", { inUse: 1, pending: 3, limit: 5 }, 1)).toBe("1 in use + 3 waiting (this request: 1) / 5");
    expect(usageWords("cpuMillicores", { inUse: 0, pending: 2000, limit: 8000 }, 2000)).toBe("0 of 8 CPU in use, 2 more waiting for approval (this request)");
  });

  it("reads without a limit too", () => {
    expect(usageLabel("cpuMillicores", { inUse: 2000, pending: 1000, limit: null })).toBe("2 CPU in use + 1 CPU waiting");
    expect(usageWords("clusters", { inUse: 2, pending: 0, limit: null })).toBe("2 in use, no limit set");
  });
});

describe("quota check", () => {
  it("fits within the quota", () => {
    const r = checkQuota(limits, inUse({ clusters: 1, cpuMillicores: 2000, memoryMiB: 4096 }), { clusters: 1, cpuMillicores: 2000, memoryMiB: 4096 });
    expect(r).toEqual({ fits: true, needsApproval: false, after: { clusters: 2, cpuMillicores: 4000, memoryMiB: 8192 } });
  });

  it("explains which resource is exceeded", () => {
    const r = checkQuota(limits, inUse({ clusters: 4, cpuMillicores: 7000, memoryMiB: 1024 }), { clusters: 1, cpuMillicores: 2000, memoryMiB: 1024 });
    expect(r).toEqual({ fits: false, message: "This request exceeds your team's quota for CPU (2 CPU requested, 1 CPU left)." });
    const full = checkQuota(limits, inUse({ clusters: 5, cpuMillicores: 8000, memoryMiB: 16384 }), { clusters: 1, cpuMillicores: 500, memoryMiB: 1024 });
    expect(full).toEqual({
      fits: false,
      message: "This request exceeds your team's quota for clusters (5 of 5 in use), CPU (0.5 CPU requested, 0 CPU left), memory (1 GiB requested, 0 GiB left).",
    });
  });

  it("counts requests waiting for approval, and says so", () => {
    const r = checkQuota(limits, { inUse: { clusters: 3, cpuMillicores: 0, memoryMiB: 0 }, pending: { clusters: 2, cpuMillicores: 0, memoryMiB: 0 } }, { clusters: 1, cpuMillicores: 0, memoryMiB: 0 });
    expect(r).toEqual({ fits: false, message: "This request exceeds your team's quota for clusters (3 of 5 in use, 2 more waiting for approval)." });
  });

  it("asks for approval past the team's threshold", () => {
    const r = checkQuota({ ...limits, approvalThresholdPercent: 50 }, inUse({ clusters: 2, cpuMillicores: 3000, memoryMiB: 0 }), { clusters: 1, cpuMillicores: 2000, memoryMiB: 0 });
    expect(r.fits && r.needsApproval).toBe(true);
  });
});

describe("quota impact of approving one request", () => {
  const request = { clusters: 1, cpuMillicores: 2000, memoryMiB: 4096 };

  it("adds the request to what is in use, and counts the others waiting", () => {
    const usage = { inUse: { clusters: 3, cpuMillicores: 5000, memoryMiB: 10240 }, pending: { clusters: 2, cpuMillicores: 3000, memoryMiB: 6144 } };
    expect(quotaImpact(limits, usage, request)).toEqual({ limits, usage, afterApproval: { clusters: 4, cpuMillicores: 7000, memoryMiB: 14336 }, fits: true, otherPending: 1 });
  });

  it("flags a request that would exceed any limit", () => {
    const waiting = (r: Resources) => ({ inUse: r, pending: request });
    expect(quotaImpact(limits, waiting({ clusters: 5, cpuMillicores: 0, memoryMiB: 0 }), request).fits).toBe(false);
    expect(quotaImpact(limits, waiting({ clusters: 0, cpuMillicores: 7000, memoryMiB: 0 }), request).fits).toBe(false);
    expect(quotaImpact(limits, waiting({ clusters: 0, cpuMillicores: 0, memoryMiB: 16000 }), request).fits).toBe(false);
  });

  it("fits exactly at the limit, and always without a quota", () => {
    expect(quotaImpact(limits, { inUse: { clusters: 4, cpuMillicores: 6000, memoryMiB: 12288 }, pending: request }, request).fits).toBe(true);
    expect(quotaImpact(null, { inUse: { clusters: 100, cpuMillicores: 1e6, memoryMiB: 1e6 }, pending: request }, request).fits).toBe(true);
  });
});
