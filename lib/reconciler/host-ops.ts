import { HostConnectionError, hostClient } from "@/lib/kube/client";
import type { ClusterSpec } from "@/lib/kube/cluster-spec";
import { driverFor } from "@/lib/kube/drivers/driver-for";
import type { DriverStatus, InstallOptions } from "@/lib/kube/drivers/types";
import { ensureHostObjects } from "@/lib/kube/ensure-host-objects";
import { hostInventory, type HostInventory } from "@/lib/kube/host-inventory";
import { observe, type Observation } from "@/lib/kube/vcluster-control-plane";
import { deleteAll } from "@/lib/kube/vcluster-delete";
import { removeWorkloadPods, sleep, wake } from "@/lib/kube/vcluster-sleep";
import { listPortalNamespaces, markOrphan, removeOrphan, type PortalNamespace } from "@/lib/kube/orphans";
import type { HostRow } from "@/lib/domain/spec-from-row";

// The reconciler's view of a host: the handful of idempotent operations a step uses. The default binds
// lib/kube (rate-limited client, SSA, the host's provisioning driver); tests can wrap it to inject faults.

export type { Observation };

export interface HostOps {
  /** Namespace, control plane (StatefulSet or Deployment), kubeconfig Secret, paused annotation. Throws on API errors; absent is not an error. */
  observe(spec: ClusterSpec): Promise<Observation>;
  /** Server-side applies Namespace, the tenant RoleBinding and installer ServiceAccount, ResourceQuota, LimitRange, NetworkPolicies. */
  applyHostObjects(spec: ClusterSpec): Promise<void>;
  /** helm upgrade --install (or the flux HelmRelease); idempotent. */
  install(spec: ClusterSpec, opts?: InstallOptions): Promise<void>;
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
 * app=vcluster) by `<namespace>/<name>` with their pause state (lib/kube/host-inventory.ts hostInventory).
 */
export type { HostInventory };

/**
 * The operations on one host. With a signal (a step's: aborted when its lease is lost), every kube request
 * is cancelled and a running helm process killed the moment it aborts.
 */
export type HostOpsFactory = (host: HostRow, signal?: AbortSignal) => HostOps;

/** lib/kube for a host row. Connection problems (no KUBECONFIG yet, unreadable file) surface as HostConnectionError. */
export const kubeHostOps: HostOpsFactory = (host, signal) => {
  let client: ReturnType<typeof hostClient>;
  try {
    client = hostClient(host);
  } catch (e) {
    if (e instanceof HostConnectionError) throw e;
    throw new HostConnectionError(`host cluster "${host.name}": ${(e as Error).message}`);
  }
  if (signal) client = client.withSignal(signal);
  const driver = driverFor(host, client);
  return {
    observe: (spec) => observe(client, spec),
    applyHostObjects: (spec) => ensureHostObjects(client, spec),
    install: (spec, opts) => driver.install(spec, opts),
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
