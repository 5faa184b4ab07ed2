import type { KubernetesObject, RbacV1Subject, V1Namespace } from "@kubernetes/client-node";
import { applyAll, applyObject, deleteIfExists, getOrNull } from "./apply";
import type { KubeClient } from "./client";
import { CLUSTER_ID_LABEL, MANAGED_BY, MANAGED_BY_LABEL, PLATFORM_SECRET_NAME, type ClusterSpec } from "./cluster-spec";
import { orNull, toKubeError } from "./errors";
import { buildHostObjects, subjectForUsername, type ApiServerEndpoint } from "./host-objects";

// Putting one virtual cluster's host objects (host-objects.ts builds them) into its namespace — only into a
// namespace that is absent or already that cluster's — and what the objects need to know about the host.

const endpointCache = new WeakMap<object, { at: number; endpoints: ApiServerEndpoint[] }>();

/**
 * Addresses pods use to reach the host API server: the `default/kubernetes` Service's ClusterIP and its
 * EndpointSlice addresses. Empty when unreadable (the NetworkPolicy then falls back to ports only). Cached 5 min.
 */
export async function apiServerEndpoints(client: KubeClient): Promise<ApiServerEndpoint[]> {
  const hit = endpointCache.get(client.shared);
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
  endpointCache.set(client.shared, { at: Date.now(), endpoints: out });
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
  return ns ? ownerOfNamespace(ns, spec) : "absent";
}

/** Whose a namespace is, by its labels: "ours" or a reason it is someone else's. */
export function ownerOfNamespace(ns: V1Namespace, spec: ClusterSpec): "ours" | { foreign: string } {
  const labels = ns.metadata?.labels ?? {};
  if (labels[MANAGED_BY_LABEL] !== MANAGED_BY) return { foreign: `namespace ${spec.namespace} exists on the host and was not created by vcluster-portal` };
  const owner = labels[CLUSTER_ID_LABEL];
  if (owner !== spec.clusterId) return { foreign: `namespace ${spec.namespace} belongs to another virtual cluster (${owner ?? "unlabelled"})` };
  return "ours";
}

const subjectCache = new WeakMap<object, RbacV1Subject | null>();

/** Who this client is on its host (a SelfSubjectReview), as an RBAC subject; null when the server cannot say. Cached per client. */
export async function portalSubject(client: KubeClient): Promise<RbacV1Subject | null> {
  if (subjectCache.has(client.shared)) return subjectCache.get(client.shared)!;
  let subject: RbacV1Subject | null = null;
  try {
    const review = await client.objects.create({ apiVersion: "authentication.k8s.io/v1", kind: "SelfSubjectReview", metadata: {} } as KubernetesObject);
    const username = (review as { status?: { userInfo?: { username?: string } } }).status?.userInfo?.username;
    if (username) subject = subjectForUsername(username);
  } catch (e) {
    const ke = toKubeError(e);
    if (ke.kind !== "Forbidden" && ke.kind !== "NotFound") throw ke;
  }
  subjectCache.set(client.shared, subject);
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
  if (!spec.platform && owner === "ours") await removeLapsedLicence(client, spec);
}

/**
 * The licence Secret the portal wrote while the host had a licence, once it has none. One written by someone else
 * (`vcluster platform add vcluster`) is theirs and stays.
 */
async function removeLapsedLicence(client: KubeClient, spec: ClusterSpec): Promise<void> {
  const ref = { apiVersion: "v1", kind: "Secret", metadata: { name: PLATFORM_SECRET_NAME, namespace: spec.namespace } };
  const secret = await getOrNull(client, ref);
  if (secret?.metadata?.labels?.[CLUSTER_ID_LABEL] === spec.clusterId) await deleteIfExists(client, ref);
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
