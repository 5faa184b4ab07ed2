import { PatchStrategy, type KubernetesObject, type RbacV1Subject, type V1Namespace, type V1StatefulSet } from "@kubernetes/client-node";
import { applyAll, applyObject, deleteIfExists, getOrNull } from "./apply";
import type { KubeClient } from "./client";
import { CLUSTER_ID_LABEL, FIELD_MANAGER, MANAGED_BY, MANAGED_BY_LABEL, kubeconfigSecretName, type ClusterSpec } from "./cluster-spec";
import { orNull, retryOnConflict, toKubeError } from "./errors";
import { buildHostObjects, subjectForUsername, type ApiServerEndpoint } from "./host-objects";
import type { ProvisioningDriver } from "./drivers/types";

// Operations on one virtual cluster on its host: observe, host objects, sleep/wake, delete (its kubeconfig: vcluster-kubeconfig.ts). Host naming follows
// the vcluster chart and CLI (pkg/lifecycle in github.com/loft-sh/vcluster): control plane StatefulSet or
// Deployment `<release>` (labels app=vcluster, release=<release>), Secret `vc-<release>` with key `config`,
// pause annotations `loft.sh/paused*` (so `vcluster pause`/`resume` and the portal understand each other).

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

type Workload = { metadata?: { annotations?: Record<string, string>; resourceVersion?: string }; spec?: { replicas?: number }; status?: { readyReplicas?: number; replicas?: number } };

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
async function readControlPlane(client: KubeClient, spec: ClusterSpec): Promise<{ kind: ControlPlaneKind; object: Workload } | null> {
  const sts = await orNull(client.apps.readNamespacedStatefulSet({ name: spec.releaseName, namespace: spec.namespace }));
  if (sts) return { kind: "StatefulSet", object: sts };
  const deploy = await orNull(client.apps.readNamespacedDeployment({ name: spec.releaseName, namespace: spec.namespace }));
  return deploy ? { kind: "Deployment", object: deploy } : null;
}

export async function observe(client: KubeClient, spec: ClusterSpec): Promise<Observation> {
  const ns = await orNull(client.core.readNamespace({ name: spec.namespace }));
  if (!ns) return { namespace: "absent", controlPlane: null, secretExists: false, paused: false, ready: false };
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

// ───────────────────────────── host objects ─────────────────────────────

const endpointCache = new WeakMap<KubeClient, { at: number; endpoints: ApiServerEndpoint[] }>();

/**
 * Addresses pods use to reach the host API server: the `default/kubernetes` Service's ClusterIP and its
 * EndpointSlice addresses. Empty when unreadable (the NetworkPolicy then falls back to ports only). Cached 5 min.
 */
export async function apiServerEndpoints(client: KubeClient): Promise<ApiServerEndpoint[]> {
  const hit = endpointCache.get(client);
  if (hit && Date.now() - hit.at < 5 * 60_000) return hit.endpoints;
  const out: ApiServerEndpoint[] = [];
  try {
    const svc = await orNull(client.core.readNamespacedService({ name: "kubernetes", namespace: "default" }));
    const port = svc?.spec?.ports?.find((p) => p.name === "https")?.port ?? svc?.spec?.ports?.[0]?.port ?? 443;
    for (const ip of svc?.spec?.clusterIPs ?? (svc?.spec?.clusterIP ? [svc.spec.clusterIP] : [])) {
      if (ip && ip !== "None") out.push({ ip, port });
    }
    // By name (the API server's own slice is `kubernetes`): the portal may read that one object in `default`, no more.
    const slice = await getOrNull<{ apiVersion: string; kind: string; endpoints?: { addresses: string[] }[]; ports?: { port?: number }[] }>(client, {
      apiVersion: "discovery.k8s.io/v1",
      kind: "EndpointSlice",
      metadata: { name: "kubernetes", namespace: "default" },
    });
    for (const s of slice ? [slice] : []) {
      const ports = (s.ports ?? []).map((p) => p.port).filter((p): p is number => typeof p === "number");
      for (const e of s.endpoints ?? []) for (const ip of e.addresses) for (const p of ports.length ? ports : [6443]) out.push({ ip, port: p });
    }
  } catch (e) {
    const ke = toKubeError(e);
    if (ke.kind !== "Forbidden" && ke.kind !== "NotFound") throw ke;
  }
  endpointCache.set(client, { at: Date.now(), endpoints: out });
  return out;
}

/** A namespace on the host that is not this cluster's: another cluster's, or one the portal never made. */
export class NamespaceOwnershipError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "NamespaceOwnershipError";
  }
}

/** Who owns a namespace, by its labels: "ours", "absent", or a reason it is someone else's. */
async function namespaceOwner(client: KubeClient, spec: ClusterSpec): Promise<"ours" | "absent" | { foreign: string }> {
  const ns = await orNull(client.core.readNamespace({ name: spec.namespace }));
  return ns ? ownerOf(ns, spec) : "absent";
}

function ownerOf(ns: V1Namespace, spec: ClusterSpec): "ours" | { foreign: string } {
  const labels = ns.metadata?.labels ?? {};
  if (labels[MANAGED_BY_LABEL] !== MANAGED_BY) return { foreign: `namespace ${spec.namespace} exists on the host and was not created by vcluster-portal` };
  const owner = labels[CLUSTER_ID_LABEL];
  if (owner !== spec.clusterId) return { foreign: `namespace ${spec.namespace} belongs to another virtual cluster (${owner ?? "unlabelled"})` };
  return "ours";
}

const subjectCache = new WeakMap<KubeClient, RbacV1Subject | null>();

/** Who this client is on its host (a SelfSubjectReview), as an RBAC subject; null when the server cannot say. Cached per client. */
export async function portalSubject(client: KubeClient): Promise<RbacV1Subject | null> {
  if (subjectCache.has(client)) return subjectCache.get(client)!;
  let subject: RbacV1Subject | null = null;
  try {
    const review = await client.objects.create({ apiVersion: "authentication.k8s.io/v1", kind: "SelfSubjectReview", metadata: {} } as KubernetesObject);
    const username = (review as { status?: { userInfo?: { username?: string } } }).status?.userInfo?.username;
    if (username) subject = subjectForUsername(username);
  } catch (e) {
    const ke = toKubeError(e);
    if (ke.kind !== "Forbidden" && ke.kind !== "NotFound") throw ke;
  }
  subjectCache.set(client, subject);
  return subject;
}

/**
 * Server-side applies Namespace, the tenant RoleBinding, the installer ServiceAccount, ResourceQuota, LimitRange
 * and (unless opted out) NetworkPolicies — only into a namespace that is absent or already this cluster's: a
 * forced apply would otherwise take over another tenant's labels, quota and policies. The portal's rights inside
 * the namespace come from the RoleBinding applied second; RBAC takes a moment to see a new binding, so the
 * objects after it are retried briefly on 403 (a lasting 403 is thrown: the reconciler retries the step later).
 */
export async function ensureHostObjects(client: KubeClient, spec: ClusterSpec): Promise<void> {
  const owner = await namespaceOwner(client, spec);
  if (typeof owner === "object") throw new NamespaceOwnershipError(`Refusing to touch ${owner.foreign}.`);
  const apiServer = spec.isolateNetwork ? await apiServerEndpoints(client) : [];
  const [namespace, binding, ...inside] = buildHostObjects(spec, { apiServer, portalSubject: await portalSubject(client) });
  await applyAll(client, [namespace!, binding!]);
  for (const o of inside) await retryWhileForbidden(() => applyObject(client, o));
}

/** Retries `fn` on 403 for up to ~10 s: a RoleBinding just written takes a moment to authorize requests. */
async function retryWhileForbidden<T>(fn: () => Promise<T>, budgetMs = 10_000): Promise<T> {
  const deadline = Date.now() + budgetMs;
  for (let wait = 50; ; wait = Math.min(wait * 2, 1000)) {
    try {
      return await fn();
    } catch (e) {
      const ke = toKubeError(e);
      if (ke.kind !== "Forbidden" || Date.now() + wait > deadline) throw ke;
      await new Promise((r) => setTimeout(r, wait));
    }
  }
}

// ───────────────────────────── inventory ─────────────────────────────

/** What exists on a host: the portal's namespaces, and the vcluster control planes by `<namespace>/<name>`. */
export type HostInventory = { namespaces: Set<string>; controlPlanes: Map<string, { paused: boolean; replicas: number }> };

/** Clients refused cluster-wide workload lists, and when: they list per namespace for a while without asking. */
const clusterWideRefused = new WeakMap<KubeClient, number>();

/**
 * The drift sweep's view of a host. The portal's namespaces come from one list call; the control planes
 * (StatefulSets and Deployments labelled app=vcluster) from two cluster-wide lists where the portal may list
 * workloads cluster-wide, else — the least-privileged ClusterRole (deploy/rbac) grants that only inside its own
 * namespaces — from two lists per portal namespace, a few at a time.
 */
export async function hostInventory(client: KubeClient, concurrency = 8): Promise<HostInventory> {
  const selector = "app=vcluster";
  try {
    const namespaces = await client.core.listNamespace({ labelSelector: `${MANAGED_BY_LABEL}=${MANAGED_BY}` });
    const names = namespaces.items.map((n) => n.metadata?.name ?? "").filter(Boolean);
    let workloads: Workload[] = [];
    const refusedAt = clusterWideRefused.get(client);
    let perNamespace = refusedAt !== undefined && Date.now() - refusedAt < 10 * 60_000;
    if (!perNamespace) {
      try {
        const [sts, deploys] = await Promise.all([
          client.apps.listStatefulSetForAllNamespaces({ labelSelector: selector }),
          client.apps.listDeploymentForAllNamespaces({ labelSelector: selector }),
        ]);
        workloads = [...sts.items, ...deploys.items];
      } catch (e) {
        if (toKubeError(e).kind !== "Forbidden") throw e;
        clusterWideRefused.set(client, Date.now()); // asked again in 10 minutes, should someone grant it
        perNamespace = true;
      }
    }
    if (perNamespace) {
      const queue = [...names];
      const worker = async () => {
        for (let ns = queue.shift(); ns !== undefined; ns = queue.shift()) {
          try {
            const [sts, deploys] = await Promise.all([
              client.apps.listNamespacedStatefulSet({ namespace: ns, labelSelector: selector }),
              client.apps.listNamespacedDeployment({ namespace: ns, labelSelector: selector }),
            ]);
            workloads.push(...sts.items, ...deploys.items);
          } catch (e) {
            // no tenant RoleBinding there (terminating, or labelled by someone else): nothing of ours to see
            if (toKubeError(e).kind !== "Forbidden") throw e;
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, names.length) }, worker));
    }
    const controlPlanes: HostInventory["controlPlanes"] = new Map();
    for (const w of workloads as (Workload & { metadata?: { name?: string; namespace?: string } })[]) {
      controlPlanes.set(`${w.metadata?.namespace}/${w.metadata?.name}`, {
        paused: w.metadata?.annotations?.[PAUSED_ANNOTATION] === "true",
        replicas: w.spec?.replicas ?? 1,
      });
    }
    return { namespaces: new Set(names), controlPlanes };
  } catch (e) {
    throw toKubeError(e);
  }
}

// ───────────────────────────── sleep / wake ─────────────────────────────

async function patchWorkload(client: KubeClient, namespace: string, kind: ControlPlaneKind, name: string, patch: { metadata?: Record<string, unknown>; spec?: Record<string, unknown> }) {
  await client.objects.patch(
    { apiVersion: "apps/v1", kind, ...patch, metadata: { ...(patch.metadata ?? {}), name, namespace } } as V1StatefulSet,
    undefined,
    undefined,
    FIELD_MANAGER,
    undefined,
    PatchStrategy.MergePatch,
  );
}

/**
 * First half of `vcluster pause`: scales the control plane to 0 and records the replica count in
 * loft.sh/paused-replicas. Idempotent. Returns false when there is no control plane to pause. The workload
 * pods are removed separately (removeWorkloadPods) once no control-plane replica runs any more, or the
 * still-running syncer would recreate them.
 */
export async function sleep(client: KubeClient, spec: ClusterSpec, now: Date = new Date()): Promise<boolean> {
  const cp = await retryOnConflict(async () => {
    const cp = await readControlPlane(client, spec);
    if (cp) await pause(client, spec.namespace, cp.kind, spec.releaseName, cp.object, now);
    return cp;
  });
  // A control plane without persistence (a Deployment) may use etcd deployed beside it: paused with it, as the CLI does.
  if (cp?.kind === "Deployment") {
    for (const etcd of await deployedEtcd(client, spec)) {
      await retryOnConflict(async () => {
        const fresh = await orNull(client.apps.readNamespacedStatefulSet({ name: etcd, namespace: spec.namespace }));
        if (fresh) await pause(client, spec.namespace, "StatefulSet", etcd, fresh, now);
      });
    }
  }
  return cp !== null;
}

/** StatefulSets of etcd the chart deployed for the release (controlPlane.backingStore.etcd.deploy). */
async function deployedEtcd(client: KubeClient, spec: ClusterSpec): Promise<string[]> {
  const list = await client.apps.listNamespacedStatefulSet({ namespace: spec.namespace, labelSelector: `app=vcluster-etcd,release=${spec.releaseName}` });
  return list.items.map((s) => s.metadata!.name!);
}

async function pause(client: KubeClient, namespace: string, kind: ControlPlaneKind, name: string, w: Workload, now: Date): Promise<void> {
  const ann = w.metadata?.annotations ?? {};
  const replicas = w.spec?.replicas ?? 1;
  if (ann[PAUSED_ANNOTATION] === "true" && replicas === 0) return;
  const remembered = ann[PAUSED_ANNOTATION] === "true" ? ann[PAUSED_REPLICAS_ANNOTATION] : undefined;
  await patchWorkload(client, namespace, kind, name, {
    metadata: {
      resourceVersion: w.metadata?.resourceVersion, // precondition: 409 if someone changed it meanwhile
      annotations: {
        [PAUSED_ANNOTATION]: "true",
        [PAUSED_REPLICAS_ANNOTATION]: remembered ?? String(replicas > 0 ? replicas : 1),
        [PAUSED_DATE_ANNOTATION]: now.toISOString(),
      },
    },
    spec: { replicas: 0 },
  });
}

async function resume(client: KubeClient, namespace: string, kind: ControlPlaneKind, name: string, w: Workload): Promise<void> {
  const ann = w.metadata?.annotations ?? {};
  const saved = Number.parseInt(ann[PAUSED_REPLICAS_ANNOTATION] ?? "", 10);
  const isPaused = PAUSED_ANNOTATION in ann || PAUSED_REPLICAS_ANNOTATION in ann;
  if (!isPaused && (w.spec?.replicas ?? 1) > 0) return;
  await patchWorkload(client, namespace, kind, name, {
    metadata: {
      resourceVersion: w.metadata?.resourceVersion,
      annotations: { [PAUSED_ANNOTATION]: null, [PAUSED_REPLICAS_ANNOTATION]: null, [PAUSED_DATE_ANNOTATION]: null },
    },
    spec: { replicas: Number.isFinite(saved) && saved > 0 ? saved : 1 },
  });
}

/**
 * Second half of `vcluster pause`: deletes the pods the syncer created on the host (label
 * vcluster.loft.sh/managed-by=<release>). Returns how many were still there (0 = none left); call again
 * until it returns 0, since deletion is graceful and a crash may cut it short.
 */
export async function removeWorkloadPods(client: KubeClient, spec: ClusterSpec): Promise<number> {
  const pods = await client.core.listNamespacedPod({ namespace: spec.namespace, labelSelector: `${MANAGED_BY_POD_LABEL}=${spec.releaseName}` });
  for (const pod of pods.items) {
    if (pod.metadata?.deletionTimestamp) continue;
    await orNull(client.core.deleteNamespacedPod({ name: pod.metadata!.name!, namespace: spec.namespace }));
  }
  return pods.items.length;
}

/** Restores the replica counts saved by sleep() (or `vcluster pause`) and removes the pause annotations; etcd first. */
export async function wake(client: KubeClient, spec: ClusterSpec): Promise<boolean> {
  const cp = await readControlPlane(client, spec);
  if (!cp) return false;
  if (cp.kind === "Deployment") {
    for (const etcd of await deployedEtcd(client, spec)) {
      await retryOnConflict(async () => {
        const fresh = await orNull(client.apps.readNamespacedStatefulSet({ name: etcd, namespace: spec.namespace }));
        if (fresh) await resume(client, spec.namespace, "StatefulSet", etcd, fresh);
      });
    }
  }
  await retryOnConflict(async () => {
    const fresh = await readControlPlane(client, spec);
    if (fresh) await resume(client, spec.namespace, fresh.kind, spec.releaseName, fresh.object);
  });
  return true;
}

// ───────────────────────────── delete ─────────────────────────────

/**
 * Uninstalls the release, then deletes the namespace, then removes what the chart made outside it. Call until it
 * returns gone: true. Level-triggered and cheap to repeat: while the namespace terminates nothing is written
 * (deleting a Terminating namespace again only earns a 409), and helm runs only while the namespace still
 * stands — its release records live there, so that is the one time an uninstall can find them.
 */
export async function deleteAll(client: KubeClient, driver: ProvisioningDriver, spec: ClusterSpec): Promise<{ gone: boolean }> {
  const ns = await orNull(client.core.readNamespace({ name: spec.namespace }));
  if (!ns) {
    await removeClusterScopedLeftovers(client, spec);
    return { gone: true };
  }
  // Nothing of this cluster can live in a namespace that is not its own (ensureHostObjects never applied there).
  if (typeof ownerOf(ns, spec) === "object") return { gone: true };
  if (ns.metadata?.deletionTimestamp) return { gone: false };
  if (!(await driver.uninstall(spec)).gone) return { gone: false };
  await deleteIfExists(client, { apiVersion: "v1", kind: "Namespace", metadata: { name: spec.namespace } });
  return { gone: false };
}

/**
 * The chart's cluster-scoped RBAC (`vc-<release>-v-<namespace>`, vCluster 0.30 by default) outlives the
 * namespace when the uninstall was cut short; nothing else would ever remove it.
 */
async function removeClusterScopedLeftovers(client: KubeClient, spec: ClusterSpec): Promise<void> {
  const name = `vc-${spec.releaseName}-v-${spec.namespace}`;
  for (const kind of ["ClusterRoleBinding", "ClusterRole"]) {
    await deleteIfExists(client, { apiVersion: "rbac.authorization.k8s.io/v1", kind, metadata: { name } });
  }
}
