import { describe, expect, it } from "vitest";
import { type HostCandidate, chooseHost } from "./placement";

const host = (name: string, over: Partial<HostCandidate> = {}): HostCandidate => ({
  id: name,
  name,
  enabled: true,
  labels: { region: "eu" },
  capacityCpuMillicores: 10000,
  capacityMemoryMiB: 10000,
  maxClusters: 10,
  used: { clusters: 0, cpuMillicores: 0, memoryMiB: 0 },
  ...over,
});
const need = { cpuMillicores: 1000, memoryMiB: 1000, selector: {} };

describe("placement", () => {
  it("picks the host with the most free capacity", () => {
    const a = host("a", { used: { clusters: 3, cpuMillicores: 6000, memoryMiB: 1000 } });
    const b = host("b", { used: { clusters: 1, cpuMillicores: 2000, memoryMiB: 2000 } });
    expect(chooseHost([a, b], need)?.name).toBe("b");
  });

  it("skips disabled, full and non-matching hosts", () => {
    const disabled = host("a", { enabled: false });
    const full = host("b", { used: { clusters: 10, cpuMillicores: 0, memoryMiB: 0 } });
    const us = host("c", { labels: { region: "us" } });
    const eu = host("d", { used: { clusters: 0, cpuMillicores: 9500, memoryMiB: 0 } });
    expect(chooseHost([disabled, full, us], { ...need, selector: { region: "us" } })?.name).toBe("c");
    expect(chooseHost([disabled, full, eu], { ...need, selector: { region: "eu" } })).toBeNull();
  });
});
