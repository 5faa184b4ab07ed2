export type HostCandidate = {
  id: string;
  name: string;
  enabled: boolean;
  labels: Record<string, string>;
  capacityCpuMillicores: number;
  capacityMemoryMiB: number;
  maxClusters: number;
  used: { clusters: number; cpuMillicores: number; memoryMiB: number };
};

export type PlacementNeed = { cpuMillicores: number; memoryMiB: number; selector: Record<string, string> };

/**
 * Pick the enabled host whose labels match the template's selector and that has the most free capacity
 * left after placing (the smaller of free CPU and free memory, as a share of the host). Null when none fits.
 */
export function chooseHost(hosts: HostCandidate[], need: PlacementNeed): HostCandidate | null {
  let best: { host: HostCandidate; score: number } | null = null;
  for (const h of hosts) {
    if (!h.enabled) continue;
    if (!Object.entries(need.selector).every(([k, v]) => h.labels[k] === v)) continue;
    const freeCpu = h.capacityCpuMillicores - h.used.cpuMillicores - need.cpuMillicores;
    const freeMem = h.capacityMemoryMiB - h.used.memoryMiB - need.memoryMiB;
    if (freeCpu < 0 || freeMem < 0 || h.used.clusters + 1 > h.maxClusters) continue;
    const score = Math.min(freeCpu / h.capacityCpuMillicores, freeMem / h.capacityMemoryMiB);
    if (!best || score > best.score || (score === best.score && h.name < best.host.name)) best = { host: h, score };
  }
  return best?.host ?? null;
}
