import { createHash, randomInt } from "node:crypto";

/** Pod Security Standards level (https://kubernetes.io/docs/concepts/security/pod-security-standards/). */
export type PodSecurityLevel = "privileged" | "baseline" | "restricted";

export const POD_SECURITY_LEVELS: readonly PodSecurityLevel[] = ["privileged", "baseline", "restricted"];

/** Where the vcluster Helm chart comes from: a Helm repository URL (https://, oci://) or a local chart directory. */
export interface ChartRef {
  repo: string;
  name: string;
  version: string;
}

/**
 * Everything lib/kube needs to create, observe and remove one virtual cluster on a host.
 * Built by the reconciler from VirtualCluster + TemplateVersion + HostCluster rows; pure data.
 */
export interface ClusterSpec {
  clusterId: string;
  teamId: string;
  teamSlug: string;
  /** The virtual cluster's name (DNS-1123 label). */
  name: string;
  /** Host namespace, `namespaceName(teamSlug, name, suffix)`, fixed when the cluster is requested. */
  namespace: string;
  /** Helm release name, normally `releaseName(name)`; also the StatefulSet name. */
  releaseName: string;
  podSecurityStandard: PodSecurityLevel;
  isolateNetwork: boolean;
  cpuMillicores: number;
  memoryMiB: number;
  /** The template version's vcluster.yaml; merged under the values the portal generates. */
  templateValuesYaml: string;
  /** As the person chose it, e.g. "1.36"; the chart version decides the full image tag (lib/vcluster/chart-versions.ts). */
  kubernetesVersion: string;
  chart: ChartRef;
  /** Syncer → host API rate limit (VCLUSTER_PHYSICAL_CLIENT_QPS / _BURST). */
  syncerQps: number;
  syncerBurst: number;
  /** Public API endpoint of the virtual cluster (exportKubeConfig.server); null to keep the chart's default. */
  exportServer: string | null;
  /** Extra annotations put on the namespace (e.g. owner, expiry) — informational. */
  annotations: Record<string, string>;
  /** The host row's registrationId: marks the host objects as this installation's (REGISTRATION_LABEL). */
  hostRegistration: string;
  /** The host's vCluster Platform licence; absent on a host without one (the open-source control plane runs). */
  platform?: PlatformLicence | null;
}

/**
 * What the licensed control plane reads from the Secret `vcluster-platform-api-key` in its namespace
 * (pkg/platform/secret.go in github.com/loft-sh/vcluster): the platform's address, the access key, the project.
 */
export interface PlatformLicence {
  /** The platform's host name (and port), without the scheme, as vCluster stores it. */
  host: string;
  accessKey: string;
  project: string;
  insecure: boolean;
}

/** The Secret the licensed control plane reads its licence from (vCluster's DefaultPlatformSecretName). */
export const PLATFORM_SECRET_NAME = "vcluster-platform-api-key";

export const MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
export const MANAGED_BY = "vcluster-portal";
export const TEAM_ID_LABEL = "vcluster-portal.dev/team-id";
export const CLUSTER_ID_LABEL = "vcluster-portal.dev/cluster-id";
/** Which portal installation's registration of the host created the object (HostCluster.registrationId). */
export const REGISTRATION_LABEL = "vcluster-portal.dev/registration";
export const FIELD_MANAGER = "vcluster-portal";

/** The labels on every object the portal creates on a host for one virtual cluster: whose it is, and which installation's. */
export function commonLabels(spec: ClusterSpec): Record<string, string> {
  return {
    [MANAGED_BY_LABEL]: MANAGED_BY,
    [TEAM_ID_LABEL]: spec.teamId,
    [CLUSTER_ID_LABEL]: spec.clusterId,
    [REGISTRATION_LABEL]: spec.hostRegistration,
  };
}

const MAX_NAMESPACE = 63;
/**
 * Release names are bounded tighter than Helm's 53: the StatefulSet of that name stamps pods with
 * `controller-revision-hash=<name>-<10 chars>` (a label value, max 63), and the chart derives names
 * such as `vc-config-<release>` from it.
 */
const MAX_RELEASE = 40;

function shortHash(s: string): string {
  return createHash("sha256").update(s).digest("hex").slice(0, 6);
}

/** Lower-cases and replaces anything outside [a-z0-9-] so the result can be a DNS-1123 label fragment. */
function sanitize(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/-+/g, "-")
    .replace(/^-+|-+$/g, "");
}

/** Fits `full` into `max` characters: unchanged when it fits, else a prefix plus `-<6 hex of sha256(full)>`. */
export function boundName(full: string, max: number): string {
  if (full.length <= max) return full;
  const suffix = `-${shortHash(full)}`;
  const head = full.slice(0, max - suffix.length).replace(/-+$/g, "");
  return `${head}${suffix}`;
}

const SUFFIX_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
const SUFFIX_LENGTH = 5;

/** Five random [a-z0-9] characters (36^5 ≈ 60 million), like Kubernetes' generateName. */
export function newNamespaceSuffix(): string {
  return Array.from({ length: SUFFIX_LENGTH }, () => SUFFIX_ALPHABET[randomInt(SUFFIX_ALPHABET.length)]).join("");
}

/**
 * Host namespace of a virtual cluster: `vc-<team>-<name>-<suffix>`, at most 63 characters. The readable part
 * alone is ambiguous (team `payments` + cluster `eu-dev` and team `payments-eu` + cluster `dev` both read
 * `vc-payments-eu-dev`), so a random suffix chosen at request time makes it the cluster's own; a unique index
 * per host enforces it, and the reconciler never touches a namespace labelled with another cluster's id.
 */
export function namespaceName(teamSlug: string, name: string, suffix: string): string {
  if (!new RegExp(`^[a-z0-9]{${SUFFIX_LENGTH}}$`).test(suffix)) throw new Error(`namespace suffix must be ${SUFFIX_LENGTH} of [a-z0-9], got "${suffix}"`);
  return `${boundName(`vc-${sanitize(teamSlug)}-${sanitize(name)}`, MAX_NAMESPACE - SUFFIX_LENGTH - 1)}-${suffix}`;
}

/** Helm release (= StatefulSet) name of a virtual cluster; at most 40 characters, starts with a letter. */
export function releaseName(name: string): string {
  let base = sanitize(name);
  if (!/^[a-z]/.test(base)) base = `vc-${base}`;
  return boundName(base, MAX_RELEASE);
}

/** Name of the Secret the vcluster control plane writes its admin kubeconfig to. */
export function kubeconfigSecretName(release: string): string {
  return `vc-${release}`;
}

/** 2000 → "2", 1500 → "1500m". */
export function cpuQuantity(millicores: number): string {
  return millicores % 1000 === 0 ? String(millicores / 1000) : `${millicores}m`;
}

/** 4096 → "4Gi", 1536 → "1536Mi". */
export function memoryQuantity(mib: number): string {
  return mib % 1024 === 0 ? `${mib / 1024}Gi` : `${mib}Mi`;
}
