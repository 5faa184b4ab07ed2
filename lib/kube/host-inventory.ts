import type { KubeClient } from "./client";
import { MANAGED_BY, MANAGED_BY_LABEL } from "./cluster-spec";
import { toKubeError } from "./errors";
import { PAUSED_ANNOTATION, type Workload } from "./vcluster-control-plane";

/** What exists on a host: the portal's namespaces, and the vcluster control planes by `<namespace>/<name>`. */
export type HostInventory = { namespaces: Set<string>; controlPlanes: Map<string, { paused: boolean; replicas: number }> };

/** Clients refused cluster-wide workload lists, and when: they list per namespace for a while without asking. */
const clusterWideRefused = new WeakMap<object, number>();

/**
 * The drift sweep's view of a host. The portal's namespaces come from one list call; the control planes
 * (StatefulSets and Deployments labelled app=vcluster) from two cluster-wide lists where the portal may list
 * workloads cluster-wide, else — the least-privileged ClusterRole (the Helm chart's rbac-portal.yaml) grants that only inside its own
 * namespaces — from two lists per portal namespace, a few at a time.
 */
export async function hostInventory(client: KubeClient, concurrency = 8): Promise<HostInventory> {
  const selector = "app=vcluster";
  try {
    const namespaces = await client.core.listNamespace({ labelSelector: `${MANAGED_BY_LABEL}=${MANAGED_BY}` });
    const names = namespaces.items.map((n) => n.metadata?.name ?? "").filter(Boolean);
    let workloads: Workload[] = [];
    const refusedAt = clusterWideRefused.get(client.shared);
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
        clusterWideRefused.set(client.shared, Date.now()); // asked again in 10 minutes, should someone grant it
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
