import type { KubeClient } from "./client";
import { kubeconfigSecretName, type ClusterSpec } from "./cluster-spec";
import { orNull, toKubeError } from "./errors";

// Reading one virtual cluster's control plane on its host, and what the portal makes of it (observe). Host naming
// follows the vcluster chart and CLI (pkg/lifecycle in github.com/loft-sh/vcluster): control plane StatefulSet or
// Deployment `<release>` (labels app=vcluster, release=<release>), Secret `vc-<release>` with key `config`,
// pause annotations `loft.sh/paused*` (so `vcluster pause`/`resume` and the portal understand each other).
// The other operations on it: ensure-host-objects.ts, vcluster-sleep.ts, vcluster-delete.ts, vcluster-kubeconfig.ts.

export const PAUSED_ANNOTATION = "loft.sh/paused";
export const PAUSED_REPLICAS_ANNOTATION = "loft.sh/paused-replicas";
export const PAUSED_DATE_ANNOTATION = "loft.sh/paused-date";
/** Set by `vcluster restore` while it pauses the control plane to restore a snapshot (pkg/constants). */
export const RESTORING_ANNOTATION = "loft.sh/restoring";
export const MANAGED_BY_POD_LABEL = "vcluster.loft.sh/managed-by";

/**
 * The chart renders the control plane as a StatefulSet when something is persisted (embedded database or
 * etcd on a volume) and as a Deployment otherwise; both carry app=vcluster, release=<release>.
 */
export type ControlPlaneKind = "StatefulSet" | "Deployment";

export interface ControlPlane {
  kind: ControlPlaneKind;
  /** spec.replicas */
  replicas: number;
  readyReplicas: number;
  /** status.replicas: pods that still exist (running or terminating). */
  podReplicas: number;
  /** loft.sh/paused=true (portal sleep or `vcluster pause`). */
  paused: boolean;
  /** loft.sh/restoring=true: `vcluster restore` owns the control plane right now. */
  restoring: boolean;
}

export interface Observation {
  namespace: "present" | "absent" | "terminating";
  controlPlane: ControlPlane | null;
  secretExists: boolean;
  /** The control plane carries loft.sh/paused=true. */
  paused: boolean;
  /** Control plane ready and its kubeconfig Secret written. */
  ready: boolean;
}

/** The parts of a StatefulSet or Deployment the portal reads and patches. */
export type Workload = { metadata?: { annotations?: Record<string, string>; resourceVersion?: string }; spec?: { replicas?: number }; status?: { readyReplicas?: number; replicas?: number } };

function toControlPlane(kind: ControlPlaneKind, w: Workload): ControlPlane {
  const ann = w.metadata?.annotations ?? {};
  return {
    kind,
    replicas: w.spec?.replicas ?? 1,
    readyReplicas: w.status?.readyReplicas ?? 0,
    podReplicas: w.status?.replicas ?? 0,
    paused: ann[PAUSED_ANNOTATION] === "true",
    restoring: ann[RESTORING_ANNOTATION] === "true",
  };
}

/** The control plane workload of a release: the StatefulSet, else the Deployment, as `vcluster pause` looks them up. */
export async function readControlPlane(client: KubeClient, spec: ClusterSpec): Promise<{ kind: ControlPlaneKind; object: Workload } | null> {
  const sts = await orNull(client.apps.readNamespacedStatefulSet({ name: spec.releaseName, namespace: spec.namespace }));
  if (sts) return { kind: "StatefulSet", object: sts };
  const deploy = await orNull(client.apps.readNamespacedDeployment({ name: spec.releaseName, namespace: spec.namespace }));
  return deploy ? { kind: "Deployment", object: deploy } : null;
}

/**
 * A watched host's current copy of the portal's namespaces and control planes (lib/kube/watch/host-watch.ts),
 * which observe() reads instead of the API server while it is synced.
 */
export interface HostView {
  /** Every watch holds a complete copy (it listed successfully); otherwise callers read the API server. */
  readonly synced: boolean;
  namespace(name: string): "present" | "terminating" | "absent";
  controlPlane(namespace: string, release: string): { kind: ControlPlaneKind; object: Workload } | null;
}

export type ObserveOptions = {
  /** A synced watch of the host: what it holds present is believed without a request. */
  view?: HostView | null;
  /**
   * Believe the watch when it says the namespace is absent, too. Only for a cluster being set up for a new
   * intent, whose next move on "absent" (server-side apply) is harmless if the watch is a moment behind; any
   * other absence is confirmed by the API server before a step acts on it (a vanished namespace means drift).
   */
  trustAbsence?: boolean;
};

export async function observe(client: KubeClient, spec: ClusterSpec, opts: ObserveOptions = {}): Promise<Observation> {
  const view = opts.view?.synced ? opts.view : null;
  const cachedNs = view?.namespace(spec.namespace);
  if (view && cachedNs === "absent" && opts.trustAbsence) return ABSENT;
  const cached = view && cachedNs !== "absent" ? view.controlPlane(spec.namespace, spec.releaseName) : null;
  if (cachedNs && cachedNs !== "absent" && cached) {
    const controlPlane = toControlPlane(cached.kind, cached.object);
    // The kubeconfig Secret matters only once the control plane is ready: read it then, once.
    const ready = cachedNs === "present" && controlPlane.replicas > 0 && controlPlane.readyReplicas >= controlPlane.replicas;
    const secretExists = ready && (await secretWritten(client, spec));
    return { namespace: cachedNs, controlPlane, secretExists, paused: controlPlane.paused, ready: ready && secretExists };
  }
  return observeDirectly(client, spec);
}

const ABSENT: Observation = { namespace: "absent", controlPlane: null, secretExists: false, paused: false, ready: false };

async function secretWritten(client: KubeClient, spec: ClusterSpec): Promise<boolean> {
  const secret = await orNull(client.core.readNamespacedSecret({ name: kubeconfigSecretName(spec.releaseName), namespace: spec.namespace }));
  return Boolean(secret?.data?.config);
}

/** Everything from the API server: Namespace, StatefulSet (else Deployment) and Secret. */
async function observeDirectly(client: KubeClient, spec: ClusterSpec): Promise<Observation> {
  const ns = await orNull(client.core.readNamespace({ name: spec.namespace }));
  if (!ns) return ABSENT;
  const namespace = ns.metadata?.deletionTimestamp || ns.status?.phase === "Terminating" ? "terminating" : "present";
  // While the namespace terminates, the tenant RoleBinding that lets the portal read inside it may be gone already:
  // a 403 there means "going away with the namespace", i.e. absent.
  const goneIfForbidden = <T>(p: Promise<T | null>): Promise<T | null> => {
    if (namespace !== "terminating") return p;
    return p.catch((e: unknown) => {
      if (toKubeError(e).kind === "Forbidden") return null;
      throw e;
    });
  };
  const [workload, secret] = await Promise.all([
    goneIfForbidden(readControlPlane(client, spec)),
    goneIfForbidden(orNull(client.core.readNamespacedSecret({ name: kubeconfigSecretName(spec.releaseName), namespace: spec.namespace }))),
  ]);
  const controlPlane = workload ? toControlPlane(workload.kind, workload.object) : null;
  const secretExists = Boolean(secret?.data?.config);
  const ready =
    namespace === "present" && controlPlane !== null && controlPlane.replicas > 0 && controlPlane.readyReplicas >= controlPlane.replicas && secretExists;
  return { namespace, controlPlane, secretExists, paused: controlPlane?.paused ?? false, ready };
}
