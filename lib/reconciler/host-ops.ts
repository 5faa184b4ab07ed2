import { HostConnectionError, hostClient } from "@/lib/kube/client";
import { MANAGED_BY, MANAGED_BY_LABEL, type ClusterSpec } from "@/lib/kube/cluster-spec";
import { toKubeError } from "@/lib/kube/errors";
import { driverFor } from "@/lib/kube/drivers/driver-for";
import type { DriverStatus } from "@/lib/kube/drivers/types";
import { deleteAll, ensureHostObjects, observe, sleep, wake, type Observation } from "@/lib/kube/vcluster-ops";
import type { HostRow } from "./spec-from-row";

// The reconciler's view of a host: the handful of idempotent operations a step uses. The default binds
// lib/kube (rate-limited client, SSA, the host's provisioning driver); tests can wrap it to inject faults.

export type { Observation };

export interface HostOps {
  /** Namespace, control-plane StatefulSet, kubeconfig Secret, paused annotation. Throws on API errors; absent is not an error. */
  observe(spec: ClusterSpec): Promise<Observation>;
  /** Server-side applies Namespace, ResourceQuota, LimitRange, NetworkPolicies. */
  applyHostObjects(spec: ClusterSpec): Promise<void>;
  /** helm upgrade --install (or the flux HelmRelease); idempotent. */
  install(spec: ClusterSpec): Promise<void>;
  releaseStatus(spec: ClusterSpec): Promise<DriverStatus>;
  /** Scales the control plane to zero with the loft.sh/paused annotations; false when there is no StatefulSet. */
  sleep(spec: ClusterSpec): Promise<boolean>;
  wake(spec: ClusterSpec): Promise<boolean>;
  /** Uninstalls the release and deletes the namespace; gone once both are absent. */
  deleteAll(spec: ClusterSpec): Promise<{ gone: boolean }>;
  /** Optional bulk read for the drift sweep (else it observes each cluster). */
  inventory?(): Promise<HostInventory>;
}

/** What exists on a host, from two list calls: portal namespaces, and `<namespace>/<name>` of vcluster StatefulSets. */
export type HostInventory = { namespaces: Set<string>; statefulSets: Set<string> };

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
    wake: (spec) => wake(client, spec),
    deleteAll: (spec) => deleteAll(client, driver, spec),
    inventory: async () => {
      try {
        const [namespaces, statefulSets] = await Promise.all([
          client.core.listNamespace({ labelSelector: `${MANAGED_BY_LABEL}=${MANAGED_BY}` }),
          client.apps.listStatefulSetForAllNamespaces({ labelSelector: "app=vcluster" }),
        ]);
        return {
          namespaces: new Set(namespaces.items.map((n) => n.metadata?.name ?? "")),
          statefulSets: new Set(statefulSets.items.map((s) => `${s.metadata?.namespace}/${s.metadata?.name}`)),
        };
      } catch (e) {
        throw toKubeError(e);
      }
    },
  };
};
