// The vCluster Helm chart versions the portal can install, and the Kubernetes versions each one can run.
// Pure data and functions with no Node imports: the admin form uses them in the browser as well.

export const SUPPORTED_CHART_VERSIONS = ["0.30.0", "0.36.1"] as const;
export type TSupportedChartVersion = (typeof SUPPORTED_CHART_VERSIONS)[number];
/** What a new template starts from. */
export const NEWEST_CHART_VERSION: TSupportedChartVersion = "0.36.1";

/**
 * Image tags for `controlPlane.distro.k8s.image.tag` (image ghcr.io/loft-sh/kubernetes), newest first; the
 * first is the chart's own default. Evidence, in github.com/loft-sh/vcluster at each tag:
 * - the default is `controlPlane.distro.k8s.image.tag` in chart/values.yaml (v1.34.0 in 0.30.0, v1.36.0 in 0.36.1);
 * - every tag offered is an entry of `K8SVersionMap` in config/default_extra_values.go, the map vCluster
 *   itself uses to pick an image per Kubernetes minor, to list release images (hack/assets) and to generate its
 *   compatibility matrix (hack/compat-matrix), so the image exists with exactly that patch version.
 * We offer the default and the two previous minors (the window upstream Kubernetes still patches); the maps
 * also list older minors (1.30 to 1.33 in 0.36.1, 1.30 and 1.31 in 0.30.0) that we deliberately leave out.
 * Later patch releases may exist in the registry, but the module source does not prove them, so none are listed.
 */
const KUBERNETES_IMAGE_TAGS: Record<TSupportedChartVersion, readonly string[]> = {
  "0.30.0": ["v1.34.0", "v1.33.4", "v1.32.1"],
  "0.36.1": ["v1.36.0", "v1.35.0", "v1.34.0"],
};

export function isSupportedChartVersion(chartVersion: string): chartVersion is TSupportedChartVersion {
  return (SUPPORTED_CHART_VERSIONS as readonly string[]).includes(chartVersion);
}

export function unsupportedChartVersionMessage(chartVersion: string): string {
  return `vCluster chart ${chartVersion} is not supported here; supported: ${SUPPORTED_CHART_VERSIONS.join(", ")}`;
}

/** Full image tags (like "v1.36.0") the chart version supports, newest first; empty for an unsupported chart. */
export function kubernetesImageTags(chartVersion: string): readonly string[] {
  return isSupportedChartVersion(chartVersion) ? KUBERNETES_IMAGE_TAGS[chartVersion] : [];
}

/** The chart's own default image tag, or null for an unsupported chart. */
export function defaultKubernetesImageTag(chartVersion: string): string | null {
  return kubernetesImageTags(chartVersion)[0] ?? null;
}

/** The supported versions as "major.minor" (like "1.36"), the form the template's Kubernetes version uses. */
export function kubernetesMinorVersions(chartVersion: string): string[] {
  return kubernetesImageTags(chartVersion).map((tag) => {
    const v = parseKubernetesVersion(tag);
    return v ? `${v.major}.${v.minor}` : tag;
  });
}

/**
 * The full image tag for a Kubernetes version written "1.36", "1.36.0" or "v1.36.0", or null when the chart
 * version does not support it. A patch version must match the offered tag exactly: "1.36.1" is refused rather
 * than silently run as 1.36.0.
 */
export function imageTagFor(chartVersion: string, kubernetesVersion: string): string | null {
  const wanted = parseKubernetesVersion(kubernetesVersion);
  if (!wanted) return null;
  for (const tag of kubernetesImageTags(chartVersion)) {
    const offered = parseKubernetesVersion(tag);
    if (!offered || offered.major !== wanted.major || offered.minor !== wanted.minor) continue;
    return wanted.patch === undefined || wanted.patch === offered.patch ? tag : null;
  }
  return null;
}

function parseKubernetesVersion(text: string): { major: number; minor: number; patch?: number } | null {
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!m) return null;
  return { major: Number(m[1]), minor: Number(m[2]), patch: m[3] === undefined ? undefined : Number(m[3]) };
}
