import type { Resources } from "@/lib/lifecycle/quota";

/** Sizes scale the template's per-cluster resources; "small" is the template's own figure. */
export const sizeMultiplier: Record<string, number> = { small: 1, medium: 2, large: 4 };

/** What one cluster of `size` reserves from its team's quota and its host. */
export function clusterResources(template: { cpuMillicores: number; memoryMiB: number }, size: unknown): Resources {
  const factor = sizeMultiplier[String(size || "small")] ?? 1;
  return { clusters: 1, cpuMillicores: template.cpuMillicores * factor, memoryMiB: template.memoryMiB * factor };
}

/** Whether one of a template's size options reserves less than `size` does. */
export function offersSmallerSize(options: readonly string[], size: unknown): boolean {
  const factor = (s: unknown) => sizeMultiplier[String(s || "small")] ?? 1;
  return options.some((o) => factor(o) < factor(size));
}
