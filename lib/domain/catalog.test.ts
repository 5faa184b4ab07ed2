import { describe, expect, it } from "vitest";
import { type TCatalogTemplate, type TTeamQuota, quotaPreview, quotaPreviews, templateSizes } from "@/lib/domain/catalog";
import { NO_RESOURCES, type Resources } from "@/lib/lifecycle/quota";

const sandbox: TCatalogTemplate = {
  slug: "sandbox",
  name: "Sandbox",
  description: "",
  version: 1,
  whatChanged: "",
  kubernetesVersion: "1.36",
  approval: "AUTO",
  expiryAction: "DELETE",
  cpuMillicores: 1000,
  memoryMiB: 2048,
  defaultTtlHours: 8,
  maxTtlHours: 24,
  parameters: [{ name: "size", label: "Size", type: "enum", options: ["small", "medium"], default: "small" }],
  privileged: false,
};

const team = (inUse: Resources, threshold = 100, pending: Resources = NO_RESOURCES): TTeamQuota => ({
  teamId: "t1",
  teamName: "Payments",
  teamSlug: "payments",
  role: "MEMBER",
  limits: { clusters: 5, cpuMillicores: 8000, memoryMiB: 16384, approvalThresholdPercent: threshold, maxLifetimeHours: 720 },
  usage: { inUse, pending },
});

describe("quotaPreview", () => {
  it("shows what the request reserves and what remains", () => {
    const p = quotaPreview(sandbox, team({ clusters: 1, cpuMillicores: 1000, memoryMiB: 2048 }), "small");
    expect(p).toMatchObject({ need: "1 CPU · 2 GiB", fits: true, needsApproval: false, message: null });
    expect(p.lines.find((l) => l.key === "cpu")).toMatchObject({ after: "2", limit: "8 CPU", remaining: "6 CPU", percentAfter: 25, over: false });
    expect(p.lines.find((l) => l.key === "memory")).toMatchObject({ after: "4", limit: "16 GiB", remaining: "12 GiB" });
    expect(p.lines.find((l) => l.key === "clusters")).toMatchObject({ after: "2", limit: "5", remaining: "3" });
  });

  it("counts requests waiting for approval as taken", () => {
    const p = quotaPreview(sandbox, team({ clusters: 1, cpuMillicores: 1000, memoryMiB: 2048 }, 100, { clusters: 3, cpuMillicores: 6500, memoryMiB: 0 }), "small");
    expect(p.lines.find((l) => l.key === "clusters")).toMatchObject({ after: "5", remaining: "0", over: false });
    expect(p.fits).toBe(false);
    expect(p.message).toBe("This request exceeds your team's quota for CPU (1 CPU requested, 0.5 CPU left).");
  });

  it("scales with size and says when the quota is exceeded, in checkQuota's words", () => {
    const p = quotaPreview(sandbox, team({ clusters: 1, cpuMillicores: 7000, memoryMiB: 2048 }), "medium");
    expect(p.need).toBe("2 CPU · 4 GiB");
    expect(p.fits).toBe(false);
    expect(p.message).toMatch(/exceeds your team's quota for CPU/);
    expect(p.lines.find((l) => l.key === "cpu")).toMatchObject({ over: true, percentAfter: 100 });
  });

  it("needs approval for REQUIRED templates and past the team's threshold", () => {
    expect(quotaPreview({ ...sandbox, approval: "REQUIRED" }, team({ clusters: 0, cpuMillicores: 0, memoryMiB: 0 }), "small").needsApproval).toBe(true);
    expect(quotaPreview(sandbox, team({ clusters: 3, cpuMillicores: 0, memoryMiB: 0 }, 50), "small").needsApproval).toBe(true);
  });

  it("covers every team × size so the form switches without a round trip", () => {
    expect(templateSizes(sandbox)).toEqual(["small", "medium"]);
    expect(templateSizes({ ...sandbox, parameters: [] })).toEqual([""]);
    expect(Object.keys(quotaPreviews(sandbox, [team({ clusters: 0, cpuMillicores: 0, memoryMiB: 0 })]).t1!)).toEqual(["small", "medium"]);
  });
});
