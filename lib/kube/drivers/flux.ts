import type { KubernetesObject } from "@kubernetes/client-node";
import { applyObject, deleteIfExists, getOrNull, type ObjectRef } from "../apply";
import type { KubeClient } from "../client";
import { CLUSTER_ID_LABEL, MANAGED_BY, MANAGED_BY_LABEL, TEAM_ID_LABEL, type ClusterSpec } from "../cluster-spec";
import { INSTALLER_SERVICE_ACCOUNT, buildVclusterValuesObject } from "../host-objects";
import { isLocalChart } from "./helm";
import type { DriverStatus, ProvisioningDriver } from "./types";

// GitOps-style provisioning: the portal writes a Flux HelmRepository + HelmRelease and Flux's helm-controller
// does the install. Status comes from the HelmRelease's Ready condition for its current generation.

export const HELM_RELEASE_API = "helm.toolkit.fluxcd.io/v2";
export const HELM_REPOSITORY_API = "source.toolkit.fluxcd.io/v1";

interface Condition {
  type: string;
  status: "True" | "False" | "Unknown";
  reason?: string;
  message?: string;
  observedGeneration?: number;
}

export type HelmReleaseObject = KubernetesObject & {
  spec: Record<string, unknown>;
  status?: { conditions?: Condition[]; observedGeneration?: number };
};

export class FluxDriverError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FluxDriverError";
  }
}

export const helmRepositoryName = (spec: ClusterSpec) => `${spec.releaseName}-charts`;

function labels(spec: ClusterSpec) {
  return { [MANAGED_BY_LABEL]: MANAGED_BY, [TEAM_ID_LABEL]: spec.teamId, [CLUSTER_ID_LABEL]: spec.clusterId };
}

export function buildHelmRepository(spec: ClusterSpec): KubernetesObject & { spec: Record<string, unknown> } {
  if (isLocalChart(spec.chart.repo)) {
    throw new FluxDriverError(`the flux driver needs a Helm repository URL (https:// or oci://), not the local path "${spec.chart.repo}"`);
  }
  const oci = spec.chart.repo.startsWith("oci://");
  return {
    apiVersion: HELM_REPOSITORY_API,
    kind: "HelmRepository",
    metadata: { name: helmRepositoryName(spec), namespace: spec.namespace, labels: labels(spec) },
    spec: { url: spec.chart.repo, interval: "1h", ...(oci ? { type: "oci" } : {}) },
  };
}

/**
 * Flux's helm-controller installs as the tenant namespace's `vcluster-portal-installer` ServiceAccount
 * (spec.serviceAccountName), which the tenant RoleBinding gives exactly the portal's rights in that namespace —
 * not as its own identity, which usually may write anything anywhere.
 */
export function buildHelmRelease(spec: ClusterSpec): HelmReleaseObject {
  return {
    apiVersion: HELM_RELEASE_API,
    kind: "HelmRelease",
    metadata: { name: spec.releaseName, namespace: spec.namespace, labels: labels(spec) },
    spec: {
      interval: "10m",
      releaseName: spec.releaseName,
      serviceAccountName: INSTALLER_SERVICE_ACCOUNT,
      chart: {
        spec: {
          chart: spec.chart.name,
          version: spec.chart.version,
          sourceRef: { kind: "HelmRepository", name: helmRepositoryName(spec), namespace: spec.namespace },
          interval: "1h",
        },
      },
      install: { remediation: { retries: 3 } },
      upgrade: { remediation: { retries: 3 } },
      values: buildVclusterValuesObject(spec),
    },
  };
}

const ref = (apiVersion: string, kind: string, name: string, namespace: string): ObjectRef => ({ apiVersion, kind, metadata: { name, namespace } });

export class FluxDriver implements ProvisioningDriver {
  readonly name = "flux" as const;

  constructor(private readonly client: KubeClient) {}

  private releaseRef(spec: ClusterSpec) {
    return ref(HELM_RELEASE_API, "HelmRelease", spec.releaseName, spec.namespace);
  }

  private repoRef(spec: ClusterSpec) {
    return ref(HELM_REPOSITORY_API, "HelmRepository", helmRepositoryName(spec), spec.namespace);
  }

  async install(spec: ClusterSpec): Promise<void> {
    await applyObject(this.client, buildHelmRepository(spec));
    await applyObject(this.client, buildHelmRelease(spec));
  }

  async status(spec: ClusterSpec): Promise<DriverStatus> {
    const hr = await getOrNull<HelmReleaseObject>(this.client, this.releaseRef(spec));
    if (!hr) return { installed: false, ready: false, message: "no HelmRelease" };
    const generation = hr.metadata?.generation ?? 0;
    const ready = hr.status?.conditions?.find((c) => c.type === "Ready");
    if (!ready) return { installed: true, ready: false, message: "waiting for Flux to reconcile the HelmRelease" };
    const current = (ready.observedGeneration ?? hr.status?.observedGeneration ?? generation) >= generation;
    if (!current) return { installed: true, ready: false, message: "Flux has not reconciled the latest HelmRelease change yet" };
    if (ready.status === "True") return { installed: true, ready: true };
    return { installed: true, ready: false, message: [ready.reason, ready.message].filter(Boolean).join(": ") || "HelmRelease is not ready" };
  }

  /** Deletes the HelmRelease (Flux uninstalls the chart before it goes away), then its HelmRepository. */
  async uninstall(spec: ClusterSpec): Promise<{ gone: boolean }> {
    const release = await deleteIfExists(this.client, this.releaseRef(spec));
    if (release === "deleting" && (await getOrNull(this.client, this.releaseRef(spec)))) return { gone: false };
    const repo = await deleteIfExists(this.client, this.repoRef(spec));
    if (repo === "deleting" && (await getOrNull(this.client, this.repoRef(spec)))) return { gone: false };
    return { gone: true };
  }
}
