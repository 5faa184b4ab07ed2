/**
 * Storage: the in-tree hostPath provisioner of kube-controller-manager behind a default StorageClass
 * (the vcluster control plane claims a 5Gi volume). No kubelet mounts anything: the volumes are
 * empty directories /tmp/hostpath_pv/<uuid> that only make claims Bound.
 */
import fs from 'node:fs';
import { apiRequest, type ApiTarget } from './api-client';
import { livePid, cmdlineOf } from './processes';

export const HOSTPATH_PROVISIONER_FLAG = '--enable-hostpath-provisioner=true';
/** The dirs the provisioner creates: /tmp/hostpath_pv/<uuid> (fixed in k8s.io/kubernetes pkg/volume/hostpath). */
const HOSTPATH_PV_DIR = /^\/tmp\/hostpath_pv\/[0-9a-f-]+$/;

export const DEFAULT_STORAGE_CLASS = {
  apiVersion: 'storage.k8s.io/v1',
  kind: 'StorageClass',
  metadata: { name: 'standard', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
  provisioner: 'kubernetes.io/host-path',
  // Delete: the hostPath deleter removes the dir when the claim goes (it only deletes under /tmp).
  reclaimPolicy: 'Delete',
  // Immediate: the in-tree provisioner does not need a selected node, and kwok nodes are all alike.
  volumeBindingMode: 'Immediate',
} as const;

/** Creates the default StorageClass if absent (its provisioner and policies are immutable anyway). */
export async function ensureDefaultStorageClass(t: ApiTarget): Promise<void> {
  const r = await apiRequest(t, 'POST', '/apis/storage.k8s.io/v1/storageclasses', DEFAULT_STORAGE_CLASS);
  if (r.status !== 201 && r.status !== 409) {
    throw new Error(`creating StorageClass standard failed: ${r.status} ${r.body.slice(0, 300)}`);
  }
}

/**
 * Removes the volume dirs of this instance's hostPath PVs. `down` throws etcd away, so volumes whose claims
 * still exist would never reach the deleter and their dirs would pile up in /tmp. Best effort: needs the API.
 */
export async function removeHostPathVolumeDirs(t: ApiTarget, log: (l: string) => void): Promise<void> {
  const r = await apiRequest(t, 'GET', '/api/v1/persistentvolumes', undefined, 5000).catch(() => null);
  const items: { spec?: { hostPath?: { path?: string } } }[] = r?.status === 200 ? (r.json?.items ?? []) : [];
  const dirs = items.map((pv) => pv.spec?.hostPath?.path ?? '').filter((p) => HOSTPATH_PV_DIR.test(p));
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  if (dirs.length) log(`removed ${dirs.length} hostPath volume dir(s) under /tmp/hostpath_pv`);
}

/** Why a running instance must be restarted to get what this version of start-instance.ts starts, or null. */
export function outdatedReason(name: string): string | null {
  const pid = livePid(name, 'kube-controller-manager');
  if (pid && !cmdlineOf(pid).includes(HOSTPATH_PROVISIONER_FLAG)) {
    return `kube-controller-manager runs without ${HOSTPATH_PROVISIONER_FLAG}`;
  }
  return null;
}
