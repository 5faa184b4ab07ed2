// How resources read to a person, on the server and in the browser alike.

const cpuNumber = (m: number) => (m % 1000 === 0 ? `${m / 1000}` : (m / 1000).toFixed(1));

export const formatCpu = (m: number) => `${cpuNumber(m)} CPU`;
export const formatMemory = (mib: number) => (mib >= 1024 ? `${+(mib / 1024).toFixed(1)} GiB` : `${mib} MiB`);

/** The resources a quota limits, named as in `Resources` (lib/lifecycle/quota.ts). */
export type Resource = "clusters" | "cpuMillicores" | "memoryMiB";

/** GiB with one decimal; an amount too small to show as 0.1 still does not read as nothing. */
function gibNumber(mib: number): string {
  const gib = +(mib / 1024).toFixed(1);
  return gib === 0 && mib > 0 ? "<0.1" : String(gib);
}

/**
 * Amounts of one resource read together, in one unit that is named once: "0 of 16 GiB", "2 of 8 CPU".
 * The unit follows `reference` (usually the limit), so 512 MiB next to a 16 GiB limit reads "0.5".
 * `unit` is "" for clusters, which are counted.
 */
export function amountsIn(resource: Resource, reference: number): { number: (n: number) => string; unit: string } {
  if (resource === "cpuMillicores") return { number: cpuNumber, unit: "CPU" };
  if (resource === "memoryMiB") return reference >= 1024 ? { number: gibNumber, unit: "GiB" } : { number: String, unit: "MiB" };
  return { number: String, unit: "" };
}

/** A number and its unit, e.g. "16 GiB", "5". */
export const withUnit = (amount: string, unit: string) => (unit ? `${amount} ${unit}` : amount);
