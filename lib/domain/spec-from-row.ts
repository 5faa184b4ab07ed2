import { decryptHostPlatformKey } from "@/lib/crypto/secret-box";
import { env } from "@/lib/env";
import type { Prisma } from "@/lib/generated/prisma/client";
import { POD_SECURITY_LEVELS, releaseName, type ClusterSpec, type PlatformLicence, type PodSecurityLevel } from "@/lib/kube/cluster-spec";

// Pure translation of database rows into the ClusterSpec lib/kube works with. The reconciler, the sweeps
// and the kubeconfig download all build specs here, so a cluster is addressed the same way everywhere.

/** What to load with a VirtualCluster to build its spec. */
export const CLUSTER_SPEC_INCLUDE = {
  team: { select: { id: true, slug: true } },
  templateVersion: { include: { template: { select: { slug: true, name: true } } } },
  hostCluster: true,
} as const satisfies Prisma.VirtualClusterInclude;

export type ClusterRow = Prisma.VirtualClusterGetPayload<{ include: typeof CLUSTER_SPEC_INCLUDE }>;
export type HostRow = NonNullable<ClusterRow["hostCluster"]>;

export type SpecDefaults = { chartRepo: string; chartName: string };

export class SpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SpecError";
  }
}

/**
 * The public API endpoint of a virtual cluster from the host's endpoint pattern, e.g.
 * "https://{release}.{namespace}.vc.example.com" → "https://dev.vc-payments-dev.vc.example.com".
 * Placeholders as lib/kube/vcluster-kubeconfig.ts publicServerFor: {release} {namespace} {cluster} {team}, plus
 * {name} (= {cluster}) and {host} (the host cluster's name). Null when the host has no pattern.
 */
export function exportServerFor(pattern: string | null | undefined, vars: { release: string; namespace: string; cluster: string; team: string; host: string }): string | null {
  if (!pattern?.trim()) return null;
  const values: Record<string, string> = { ...vars, name: vars.cluster };
  const out = pattern.trim().replace(/\{(release|namespace|cluster|name|team|host)\}/g, (_, k: string) => values[k]!);
  try {
    const u = new URL(out);
    if (u.protocol !== "https:" && u.protocol !== "http:") throw new Error("not http(s)");
  } catch {
    throw new SpecError(`The host's endpoint pattern "${pattern}" does not give a valid https:// URL (got "${out}").`);
  }
  return out.replace(/\/+$/, "");
}

/** The host's vCluster Platform licence, with its access key decrypted; null when the host has none. */
export function platformLicenceOf(host: HostRow): PlatformLicence | null {
  if (!host.platformHost || !host.platformAccessKeyEncrypted) return null;
  let accessKey: string;
  try {
    accessKey = decryptHostPlatformKey({ id: host.id, platformAccessKeyEncrypted: host.platformAccessKeyEncrypted });
  } catch (e) {
    throw new SpecError(`The vCluster Platform access key of host ${host.name} cannot be read (${(e as Error).message}); set the licence again on the Hosts page.`);
  }
  return { host: host.platformHost, accessKey, project: host.platformProject || "default", insecure: host.platformInsecure };
}

function podSecurity(v: string): PodSecurityLevel {
  if ((POD_SECURITY_LEVELS as readonly string[]).includes(v)) return v as PodSecurityLevel;
  throw new SpecError(`The template's pod security standard "${v}" is not one of ${POD_SECURITY_LEVELS.join(", ")}.`);
}

function positiveInt(v: unknown): number | undefined {
  const n = typeof v === "string" ? Number(v) : v;
  return typeof n === "number" && Number.isInteger(n) && n > 0 ? n : undefined;
}

/**
 * Builds the ClusterSpec of a placed cluster. Throws SpecError when the rows cannot describe one — except, with
 * `forDeletion`, for what removing a cluster does not use (its public endpoint, its pod security level): a host
 * whose endpoint pattern an admin broke must not keep its clusters from being deleted.
 */
export function specFromRow(row: ClusterRow, defaults: SpecDefaults = defaultsFromEnv(), opts: { forDeletion?: boolean } = {}): ClusterSpec {
  const host = row.hostCluster;
  if (!host) throw new SpecError(`Cluster ${row.name} is not placed on a host cluster.`);
  const tv = row.templateVersion;
  const params = (row.parameters ?? {}) as Record<string, unknown>;
  if (!row.namespace) throw new SpecError(`Cluster ${row.name} has no host namespace assigned.`);
  const ns = row.namespace;
  const release = row.releaseName ?? releaseName(row.name);
  const k8sVersion = typeof params.kubernetesVersion === "string" && params.kubernetesVersion.trim() ? params.kubernetesVersion.trim() : tv.kubernetesVersion;
  return {
    clusterId: row.id,
    teamId: row.teamId,
    teamSlug: row.team.slug,
    name: row.name,
    namespace: ns,
    releaseName: release,
    podSecurityStandard: tolerant(opts.forDeletion, () => podSecurity(tv.podSecurityStandard), "restricted"),
    isolateNetwork: tv.isolateNetwork,
    cpuMillicores: row.cpuMillicores,
    memoryMiB: row.memoryMiB,
    templateValuesYaml: tv.valuesYaml,
    kubernetesVersion: k8sVersion,
    chart: { repo: host.chartRepo?.trim() || defaults.chartRepo, name: defaults.chartName, version: tv.chartVersion },
    // The syncer's own client limits toward the host: the host's per-client budget unless the cluster overrides it.
    syncerQps: positiveInt(params.syncerQps) ?? host.clientQps,
    syncerBurst: positiveInt(params.syncerBurst) ?? host.clientBurst,
    exportServer: tolerant(opts.forDeletion, () => exportServerFor(host.endpointPattern, { release, namespace: ns, cluster: row.name, team: row.team.slug, host: host.name }), null),
    annotations: { "vcluster-portal.dev/template": `${tv.template.slug}@${tv.version}` },
    hostRegistration: host.registrationId,
    platform: tolerant(opts.forDeletion, () => platformLicenceOf(host), null),
  };
}

function tolerant<T>(tolerate: boolean | undefined, build: () => T, fallback: T): T {
  try {
    return build();
  } catch (e) {
    if (tolerate && e instanceof SpecError) return fallback;
    throw e;
  }
}

export function defaultsFromEnv(): SpecDefaults {
  const e = env();
  return { chartRepo: e.VCLUSTER_CHART_REPO, chartName: e.VCLUSTER_CHART_NAME };
}
