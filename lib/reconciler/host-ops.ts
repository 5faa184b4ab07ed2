import { HostConnectionError, hostClient } from "@/lib/kube/client";
import type { ClusterSpec } from "@/lib/kube/cluster-spec";
import { driverFor } from "@/lib/kube/drivers/driver-for";
import type { DriverStatus, InstallOptions } from "@/lib/kube/drivers/types";
import { ensureHostObjects } from "@/lib/kube/ensure-host-objects";
import { hostInventory, type HostInventory } from "@/lib/kube/host-inventory";
import { observe, type HostView, type Observation } from "@/lib/kube/vcluster-control-plane";
import { deleteAll } from "@/lib/kube/vcluster-delete";
import { removeWorkloadPods, sleep, wake } from "@/lib/kube/vcluster-sleep";
import { listPortalNamespaces, markOrphan, removeOrphan, type PortalNamespace } from "@/lib/kube/orphans";
import type { HostRow } from "@/lib/domain/spec-from-row";

// The reconciler's view of a host: the handful of idempotent operations a step uses. The default binds
// lib/kube (rate-limited client, SSA, the host's provisioning driver); tests can wrap it to inject faults.

export type { Observation };

export interface HostOps {
  /**
   * Namespace, control plane (StatefulSet or Deployment), kubeconfig Secret, paused annotation. Throws on API
   * errors; absent is not an error. `trustAbsence`: a watch saying "no namespace" is enough (a new cluster).
   */
  observe(spec: ClusterSpec, opts?: { trustAbsence?: boolean }): Promise<Observation>;
  /** A synced watch reports this host's control-plane and namespace changes, so a step need not poll for them. */
  watched?(): boolean;
  /** Server-side applies Namespace, the tenant RoleBinding and installer ServiceAccount, ResourceQuota, LimitRange, NetworkPolicies. */
  applyHostObjects(spec: ClusterSpec): Promise<void>;
  /** helm upgrade --install (or the flux HelmRelease); idempotent. */
  install(spec: ClusterSpec, opts?: InstallOptions): Promise<void>;
  /** helm status (or the HelmRelease's Ready condition): one helm process. */
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

/** What a worker process knows of its hosts from their watches (host-watches.ts HostWatches). */
export type WatchedHosts = { view(hostId: string): HostView | null; inventory(hostId: string): HostInventory | null };

/**
 * lib/kube for a host row; with `watches`, namespaces and control planes are read from the host's watch while it
 * is synced. Connection problems (no KUBECONFIG yet, unreadable file) surface as HostConnectionError.
 */
export const kubeHostOpsWith =
  (watches?: WatchedHosts): HostOpsFactory =>
  (host, signal) => {
    let client: ReturnType<typeof hostClient>;
    try {
      client = hostClient(host);
    } catch (e) {
      if (e instanceof HostConnectionError) throw e;
      throw new HostConnectionError(`host cluster "${host.name}": ${(e as Error).message}`);
    }
    if (signal) client = client.withSignal(signal);
    const driver = driverFor(host, client);
    const view = () => watches?.view(host.id) ?? null;
    return {
      observe: (spec, opts) => observe(client, spec, { view: view(), trustAbsence: opts?.trustAbsence }),
      watched: () => view() !== null,
      applyHostObjects: (spec) => ensureHostObjects(client, spec),
      install: (spec, opts) => driver.install(spec, opts),
      releaseStatus: (spec) => driver.status(spec),
      sleep: (spec) => sleep(client, spec),
      removeWorkloadPods: (spec) => removeWorkloadPods(client, spec),
      portalNamespaces: () => listPortalNamespaces(client, host.registrationId),
      markOrphan: (namespace, since) => markOrphan(client, namespace, since),
      removeOrphan: (namespace) => removeOrphan(client, namespace),
      wake: (spec) => wake(client, spec),
      deleteAll: (spec) => deleteAll(client, driver, spec),
      inventory: async () => watches?.inventory(host.id) ?? (await hostInventory(client)),
    };
  };

/** lib/kube for a host row, every read from the API server (no watches). */
export const kubeHostOps: HostOpsFactory = kubeHostOpsWith();
