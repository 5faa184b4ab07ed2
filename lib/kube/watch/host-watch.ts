import type { V1Deployment, V1Namespace, V1StatefulSet } from "@kubernetes/client-node";
import type { Logger } from "@/lib/log";
import type { KubeClient } from "../client";
import { MANAGED_BY, MANAGED_BY_LABEL } from "../cluster-spec";
import type { HostInventory } from "../host-inventory";
import { PAUSED_ANNOTATION, RESTORING_ANNOTATION, type ControlPlaneKind, type HostView, type Workload } from "../vcluster-control-plane";
import { ListWatch } from "./list-watch";

// A host cluster as the reconciler sees it between steps: the portal's namespaces and every vcluster control
// plane (StatefulSets and Deployments labelled app=vcluster, as the chart renders them), kept current by three
// watches (list-watch.ts). A step reads the control plane from here instead of asking the API server, and a
// change that a waiting step cares about — ready or not, scaled, stopped, paused, gone — is reported to the
// reconciler (lib/reconciler/host-watches.ts), which makes that cluster due at once.
//
// Secrets are not watched: a cluster-wide watch of Secrets would let the portal read every Secret on the host.
// The kubeconfig Secret `vc-<release>` is read once, when the control plane is ready.

/** What the reconciler is told: something a step may be waiting for changed in this namespace (for this release). */
export type HostChange = { namespace: string; release: string | null; what: string };

const CONTROL_PLANE_SELECTOR = "app=vcluster";

type NamedWorkload = Workload & { metadata?: Workload["metadata"] & { name?: string; namespace?: string; resourceVersion?: string } };

/** The facts of a control plane that a waiting step acts on; a change of any of them is reported. */
function signal(w: NamedWorkload): { ready: boolean; replicas: number; stopped: boolean; paused: boolean; restoring: boolean } {
  const replicas = w.spec?.replicas ?? 1;
  const ready = replicas > 0 && (w.status?.readyReplicas ?? 0) >= replicas;
  const stopped = (w.status?.readyReplicas ?? 0) === 0 && (w.status?.replicas ?? 0) === 0;
  const ann = w.metadata?.annotations ?? {};
  return { ready, replicas, stopped, paused: ann[PAUSED_ANNOTATION] === "true", restoring: ann[RESTORING_ANNOTATION] === "true" };
}

/** What changed between two versions of a control plane, in words (for logs), or null when nothing a step acts on. */
export function controlPlaneChange(current: NamedWorkload | undefined, previous: NamedWorkload | undefined): string | null {
  if (!current) return previous ? "deleted" : null;
  const now = signal(current);
  // A new control plane is not ready yet: the step that installed it waits for "ready", not for "created".
  if (!previous) return now.ready ? "created ready" : now.paused || now.restoring ? "created paused" : null;
  const before = signal(previous);
  // "stopped" matters when it becomes true (sleep waits for it); a new control plane's first pod is no news.
  const changed = (Object.keys(now) as (keyof typeof now)[]).filter((k) => now[k] !== before[k] && !(k === "stopped" && !now.stopped));
  return changed.length ? changed.map((k) => `${k}=${now[k]}`).join(", ") : null;
}

export class HostWatch implements HostView {
  private readonly namespaces: ListWatch<V1Namespace>;
  private readonly statefulSets: ListWatch<V1StatefulSet>;
  private readonly deployments: ListWatch<V1Deployment>;

  constructor(client: KubeClient, onChange: (change: HostChange) => void, log: Logger) {
    const workloadChanged = (current: NamedWorkload | undefined, previous: NamedWorkload | undefined) => {
      const what = controlPlaneChange(current, previous);
      const meta = (current ?? previous)?.metadata;
      if (what && meta?.namespace && meta.name) onChange({ namespace: meta.namespace, release: meta.name, what: `control plane ${what}` });
    };
    this.namespaces = new ListWatch<V1Namespace>({
      client,
      log,
      resource: "namespaces",
      path: "/api/v1/namespaces",
      labelSelector: `${MANAGED_BY_LABEL}=${MANAGED_BY}`,
      list: () => client.core.listNamespace({ labelSelector: `${MANAGED_BY_LABEL}=${MANAGED_BY}` }),
      // A deletion waits for its namespace to be gone.
      onChange: (current, previous) => {
        const name = previous?.metadata?.name;
        if (!current && name) onChange({ namespace: name, release: null, what: "namespace deleted" });
      },
    });
    this.statefulSets = new ListWatch<V1StatefulSet>({
      client,
      log,
      resource: "statefulsets",
      path: "/apis/apps/v1/statefulsets",
      labelSelector: CONTROL_PLANE_SELECTOR,
      list: () => client.apps.listStatefulSetForAllNamespaces({ labelSelector: CONTROL_PLANE_SELECTOR }),
      onChange: workloadChanged,
    });
    this.deployments = new ListWatch<V1Deployment>({
      client,
      log,
      resource: "deployments",
      path: "/apis/apps/v1/deployments",
      labelSelector: CONTROL_PLANE_SELECTOR,
      list: () => client.apps.listDeploymentForAllNamespaces({ labelSelector: CONTROL_PLANE_SELECTOR }),
      onChange: workloadChanged,
    });
  }

  private get all() {
    return [this.namespaces, this.statefulSets, this.deployments];
  }

  get synced(): boolean {
    return this.all.every((w) => w.synced);
  }

  /** Why the copy may be incomplete or behind, e.g. "statefulsets: forbidden"; null when all is well. */
  get problem(): string | null {
    const bad = this.all.filter((w) => !w.synced || w.lastError);
    return bad.length ? bad.map((w) => `${w === this.namespaces ? "namespaces" : w === this.statefulSets ? "statefulsets" : "deployments"}: ${w.lastError ?? "not listed yet"}`).join("; ") : null;
  }

  /** How often each watch listed its collection (1 each when nothing expired). */
  get lists(): number {
    return this.all.reduce((n, w) => n + w.lists, 0);
  }

  start(): void {
    for (const w of this.all) w.start();
  }

  async stop(): Promise<void> {
    await Promise.all(this.all.map((w) => w.stop()));
  }

  namespace(name: string): "present" | "terminating" | "absent" {
    const ns = this.namespaces.get("", name);
    if (!ns) return "absent";
    return ns.metadata?.deletionTimestamp || ns.status?.phase === "Terminating" ? "terminating" : "present";
  }

  /** As `vcluster pause` looks it up: the StatefulSet, else the Deployment. */
  controlPlane(namespace: string, release: string): { kind: ControlPlaneKind; object: Workload } | null {
    const sts = this.statefulSets.get(namespace, release);
    if (sts) return { kind: "StatefulSet", object: sts };
    const deploy = this.deployments.get(namespace, release);
    return deploy ? { kind: "Deployment", object: deploy } : null;
  }

  /** The drift sweep's inventory, from the copy (no request). */
  inventory(): HostInventory {
    const namespaces = new Set([...this.namespaces.values()].map((n) => n.metadata?.name ?? "").filter(Boolean));
    const controlPlanes: HostInventory["controlPlanes"] = new Map();
    for (const w of [...this.statefulSets.values(), ...this.deployments.values()] as NamedWorkload[]) {
      controlPlanes.set(`${w.metadata?.namespace}/${w.metadata?.name}`, { paused: w.metadata?.annotations?.[PAUSED_ANNOTATION] === "true", replicas: w.spec?.replicas ?? 1 });
    }
    return { namespaces, controlPlanes };
  }
}
