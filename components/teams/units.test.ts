import { describe, expect, it } from "vitest";
import { formatCpu as domainCpu, formatMemory as domainMemory } from "@/lib/domain/quota";
import { formatClusters, formatCpu, formatMemory } from "./units";

describe("client-safe unit formatters", () => {
  it("match the domain's formatters", () => {
    for (const m of [0, 250, 500, 1000, 1500, 2000, 7500, 8000, 16000]) expect(formatCpu(m)).toBe(domainCpu(m));
    for (const mib of [0, 512, 1024, 1536, 4096, 16384, 32768]) expect(formatMemory(mib)).toBe(domainMemory(mib));
  });
  it("pluralizes clusters", () => {
    expect(formatClusters(1)).toBe("1 cluster");
    expect(formatClusters(4)).toBe("4 clusters");
  });
});
