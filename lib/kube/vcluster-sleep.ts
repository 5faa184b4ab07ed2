import { PatchStrategy, type V1StatefulSet } from "@kubernetes/client-node";
import type { KubeClient } from "./client";
import { FIELD_MANAGER, type ClusterSpec } from "./cluster-spec";
import { orNull, retryOnConflict } from "./errors";
import {
  MANAGED_BY_POD_LABEL,
  PAUSED_ANNOTATION,
  PAUSED_DATE_ANNOTATION,
  PAUSED_REPLICAS_ANNOTATION,
  readControlPlane,
  type ControlPlaneKind,
  type Workload,
} from "./vcluster-control-plane";

// Sleep and wake of one virtual cluster, written as `vcluster pause` and `vcluster resume` write them (the
// annotations in vcluster-control-plane.ts), so that either side can undo what the other did.

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
