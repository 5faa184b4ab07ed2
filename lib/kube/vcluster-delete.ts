import { deleteIfExists } from "./apply";
import type { KubeClient } from "./client";
import type { ClusterSpec } from "./cluster-spec";
import { orNull } from "./errors";
import { ownerOfNamespace } from "./ensure-host-objects";
import type { ProvisioningDriver } from "./drivers/types";

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
  if (typeof ownerOfNamespace(ns, spec) === "object") return { gone: true };
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
