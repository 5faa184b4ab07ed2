import { PatchStrategy, type V1Namespace } from "@kubernetes/client-node";
import { deleteIfExists } from "./apply";
import type { KubeClient } from "./client";
import { CLUSTER_ID_LABEL, FIELD_MANAGER, MANAGED_BY, MANAGED_BY_LABEL, REGISTRATION_LABEL } from "./cluster-spec";

// The host side of the orphan sweep (lib/reconciler/orphan-sweep.ts): the portal's namespaces on a host, the
// mark it leaves on one it found without a live cluster, and their removal.

export const ORPHANED_SINCE_ANNOTATION = "vcluster-portal.dev/orphaned-since";

export interface PortalNamespace {
  name: string;
  clusterId: string | null;
  /** When a sweep first found no live cluster for it (kept on the namespace itself, so any worker sees it). */
  orphanedSince: Date | null;
  terminating: boolean;
}

/**
 * Namespaces this installation created on the host: labelled app.kubernetes.io/managed-by=vcluster-portal and with
 * its registration of the host. Another portal's namespaces on a shared host are not listed, and neither are
 * namespaces from before registrations (their live clusters get the label when next applied).
 */
export async function listPortalNamespaces(client: KubeClient, registration: string): Promise<PortalNamespace[]> {
  const list = await client.core.listNamespace({ labelSelector: `${MANAGED_BY_LABEL}=${MANAGED_BY},${REGISTRATION_LABEL}=${registration}` });
  return list.items.map((ns) => {
    const since = ns.metadata?.annotations?.[ORPHANED_SINCE_ANNOTATION];
    return {
      name: ns.metadata!.name!,
      clusterId: ns.metadata?.labels?.[CLUSTER_ID_LABEL] ?? null,
      orphanedSince: since && !Number.isNaN(Date.parse(since)) ? new Date(since) : null,
      terminating: Boolean(ns.metadata?.deletionTimestamp),
    };
  });
}

/** Marks (a date) or clears (null) a namespace as orphaned. */
export async function markOrphan(client: KubeClient, namespace: string, since: Date | null): Promise<void> {
  await client.objects.patch(
    { apiVersion: "v1", kind: "Namespace", metadata: { name: namespace, annotations: { [ORPHANED_SINCE_ANNOTATION]: since ? since.toISOString() : null } } } as V1Namespace,
    undefined,
    undefined,
    FIELD_MANAGER,
    undefined,
    PatchStrategy.MergePatch,
  );
}

/** Deletes an orphaned namespace and the chart's cluster-scoped RBAC named after it (`vc-<release>-v-<namespace>`). */
export async function removeOrphan(client: KubeClient, namespace: string): Promise<void> {
  const roles = await client.rbac.listClusterRole({ labelSelector: "app=vcluster" });
  for (const role of roles.items) {
    const name = role.metadata!.name!;
    if (!name.endsWith(`-v-${namespace}`)) continue;
    await deleteIfExists(client, { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRoleBinding", metadata: { name } });
    await deleteIfExists(client, { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", metadata: { name } });
  }
  await deleteIfExists(client, { apiVersion: "v1", kind: "Namespace", metadata: { name: namespace } });
}
