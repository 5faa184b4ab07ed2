import { describe, expect, it } from "vitest";
import { quotaFormErrors } from "@/components/admin/quota-form";

const form = (fields: Record<string, string>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries({ maxClusters: "5", cpuCores: "8", memoryGiB: "16", maxLifetimeHours: "72", approvalThresholdPercent: "100", ...fields })) f.set(k, v);
  return f;
};

describe("the quota dialog's check", () => {
  it("passes a valid quota, with fractions of cores and GiB", () => {
    expect(quotaFormErrors(form({ cpuCores: "0.5", memoryGiB: "1.5" }))).toEqual({});
  });

  it("reports every field's problem at once", () => {
    expect(quotaFormErrors(form({ maxClusters: "1.5", cpuCores: "-1", memoryGiB: "", maxLifetimeHours: "0", approvalThresholdPercent: "101" }))).toEqual({
      maxClusters: ["Clusters must be a whole number"],
      cpuCores: ["CPU must be at least 0"],
      memoryGiB: ["Memory must be a number, e.g. 16 or 0.5"],
      maxLifetimeHours: ["Max lifetime must be at least 1"],
      approvalThresholdPercent: ["Approval threshold must be at most 100"],
    });
  });
});

describe("the quota dialog's check and the server's", () => {
  it("name a negative CPU and a negative cluster count together", () => {
    expect(quotaFormErrors(form({ maxClusters: "-1", cpuCores: "-2" }))).toEqual({
      maxClusters: ["Clusters must be at least 0"],
      cpuCores: ["CPU must be at least 0"],
    });
  });

  it("allow zero clusters: an admin stops a team from requesting more without touching what runs", () => {
    expect(quotaFormErrors(form({ maxClusters: "0" }))).toEqual({});
  });
});
