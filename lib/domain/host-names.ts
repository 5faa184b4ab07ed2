import { createHash } from "node:crypto";

// Host naming (DESIGN.md §3): namespace `vc-<team>-<name>` bounded to a DNS label; release = cluster name.

const MAX_LABEL = 63;

export function namespaceName(teamSlug: string, clusterName: string): string {
  const full = `vc-${teamSlug}-${clusterName}`;
  if (full.length <= MAX_LABEL) return full;
  const hash = createHash("sha256").update(full).digest("hex").slice(0, 8);
  return `${full.slice(0, MAX_LABEL - 9).replace(/-+$/, "")}-${hash}`;
}

export function releaseName(clusterName: string): string {
  return clusterName;
}
