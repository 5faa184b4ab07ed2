import { HostConnectionError, hostClient } from "@/lib/kube/client";
import type { ClusterSpec } from "@/lib/kube/cluster-spec";
import { driverFor } from "@/lib/kube/drivers/driver-for";
import type { DriverStatus } from "@/lib/kube/drivers/types";
import {
  deleteAll,
  ensureHostObjects,
  hostInventory,
  observe,
  removeWorkloadPods,
  sleep,
  wake,
  type HostInventory,
  type Observation,
} from "@/lib/kube/vcluster-ops";
import { listPortalNamespaces, markOrphan, removeOrphan, type PortalNamespace } from "@/lib/kube/orphans";
import type { HostRow } from "./spec-from-row";

// The reconciler's view of a host: the handful of idempotent operations a step uses. The default binds
// lib/kube (rate-limited client, SSA, the host's provisioning driver); tests can wrap it to inject faults.

export type { Observation };

export interface HostOps {
  /** Namespace, control plane (StatefulSet or Deployment), kubeconfig Secret, paused annotation. Throws on API errors; absent is not an error. */
  observe(spec: ClusterSpec): Promise<Observation>;
  /** Server-side applies Namespace, the tenant RoleBinding and installer ServiceAccount, ResourceQuota, LimitRange, NetworkPolicies. */
  applyHostObjects(spec: ClusterSpec): Promise<void>;
  /** helm upgrade --install (or the flux HelmRelease); idempotent. */
  install(spec: ClusterSpec): Promise<void>;
  releaseStatus(spec: ClusterSpec): Promise<DriverStatus>;
  /** Scales the control plane to zero with the loft.sh/paused annotations; false when there is no control plane. */
  sleep(spec: ClusterSpec): Promise<boolean>;
  /** Deletes the synced workload pods; returns how many were still there (0 = none left). */
  removeWorkloadPods(spec: ClusterSpec): Promise<number>;
  wake(spec: ClusterSpec): Promise<boolean>;
  /** Uninstalls the release and deletes the namespace; gone once both are absent. */
  deleteAll(spec: ClusterSpec): Promise<{ gone: boolean }>;
  /** Optional bulk read for the drift sweep (else it observes each cluster). */
  inventory?(): Promise<HostInventory>;
  /** The portal's namespaces on the host, for the orphan sweep (absent: the host is not swept for orphans). */
  portalNamespaces?(): Promise<PortalNamespace[]>;
  markOrphan?(namespace: string, since: Date | null): Promise<void>;
  removeOrphan?(namespace: string): Promise<void>;
}

/**
 * What exists on a host: portal namespaces, and the vcluster control planes (StatefulSets and Deployments labelled
 * app=vcluster) by `<namespace>/<name>` with their pause state (lib/kube/vcluster-ops.ts hostInventory).
 */
export type { HostInventory };

export type HostOpsFactory = (host: HostRow) => HostOps;

/** lib/kube for a host row. Connection problems (no KUBECONFIG yet, unreadable file) surface as HostConnectionError. */
export const kubeHostOps: HostOpsFactory = (host) => {
  let client: ReturnType<typeof hostClient>;
  try {
    client = hostClient(host);
  } catch (e) {
    if (e instanceof HostConnectionError) throw e;
    throw new HostConnectionError(`host cluster "${host.name}": ${(e as Error).message}`);
  }
  const driver = driverFor(host, client);
  return {
    observe: (spec) => observe(client, spec),
    applyHostObjects: (spec) => ensureHostObjects(client, spec),
    install: (spec) => driver.install(spec),
    releaseStatus: (spec) => driver.status(spec),
    sleep: (spec) => sleep(client, spec),
    removeWorkloadPods: (spec) => removeWorkloadPods(client, spec),
    portalNamespaces: () => listPortalNamespaces(client),
    markOrphan: (namespace, since) => markOrphan(client, namespace, since),
    removeOrphan: (namespace) => removeOrphan(client, namespace),
    wake: (spec) => wake(client, spec),
    deleteAll: (spec) => deleteAll(client, driver, spec),
    inventory: () => hostInventory(client),
  };
};
