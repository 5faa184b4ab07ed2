/**
 * Integration test: a real local control plane (etcd, kube-apiserver, kube-controller-manager,
 * kube-scheduler, kwok) started by scripts/k8s/lifecycle.ts behaves like a Kubernetes cluster.
 * First run builds the binaries (scripts/k8s/build.sh, ~20-40 min cold on 2 cores); later runs
 * take ~20 s to start.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downCluster, upCluster, type UpResult } from './lifecycle';
import { processRss } from './processes';
import { clusterStatus } from './status';
import {
  checkNamespaceDeletion,
  eventually,
  checkNodesReady,
  checkPodSecurityRejects,
  checkResourceQuota,
  checkStatefulSet,
  clientsFor,
  createNamespace,
  deleteNamespace,
  statusOf,
  type Clients,
  uniqueName,
} from './check';

// Its own instance 100 above the tier's `test` cluster (VCP_TEST_PORT_BASE), so runs with their own bases never meet.
const TEST_BASE = Number(process.env.VCP_TEST_PORT_BASE) || 17400;
const PORT_BASE = TEST_BASE + 100;
const NAME = TEST_BASE === 17400 ? 'test-k8s' : `test-k8s-${PORT_BASE}`;

/** A quota that never fills in is the controller's story: attach what kube-controller-manager said about it. */
function withQuotaControllerLog(e: unknown): never {
  const logFile = path.join(path.dirname(up.kubeconfig), 'logs', 'kube-controller-manager.log');
  const lines = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').split('\n').filter((l) => /quota/i.test(l)) : [];
  throw new Error(`${e instanceof Error ? e.message : String(e)}\nkube-controller-manager on quotas:\n${lines.slice(-15).join('\n')}`);
}
let up: UpResult;
let c: Clients;

describe('local kubernetes host cluster', () => {
  beforeAll(async () => {
    up = await upCluster({ name: NAME, portBase: PORT_BASE, log: (l) => console.log(l) });
    c = clientsFor(up.kubeconfig);
  }, 60 * 60_000);

  afterAll(async () => {
    await downCluster(NAME);
    // nothing of the instance may be left behind
    expect((await clusterStatus(NAME)).state).toBe('absent');
  }, 120_000);

  it('is ready and idempotent', async () => {
    expect(fs.existsSync(up.kubeconfig)).toBe(true);
    const st = await clusterStatus(NAME);
    expect(st.state).toBe('ready');
    const again = await upCluster({ name: NAME });
    expect(again.portBase).toBe(PORT_BASE);
    expect(again.reused).toBe(true);
    expect(again.kubeconfig).toBe(up.kubeconfig);
    expect(Object.keys(processRss(NAME)).sort()).toEqual(
      ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kwok'].sort(),
    );
  }, 60_000);

  it('has 3 Ready fake nodes', async () => {
    expect(await checkNodesReady(c, 3)).toMatch(/3 nodes Ready/);
  }, 90_000);

  it('runs a StatefulSet to ready, then deletes its namespace', async () => {
    const ns = uniqueName('it-sts');
    await createNamespace(c, ns);
    expect(await checkStatefulSet(c, ns)).toMatch(/Running/);
    expect(await checkNamespaceDeletion(c, ns)).toMatch(/deleted/);
    await expect(c.core.readNamespace({ name: ns })).rejects.toMatchObject({ code: 404 });
  }, 240_000);

  it('fills in ResourceQuota status.used', async () => {
    const ns = uniqueName('it-quota');
    await createNamespace(c, ns);
    try {
      expect(await checkResourceQuota(c, ns).catch(withQuotaControllerLog)).toMatch(/"configmaps":"2"/);
    } finally {
      await deleteNamespace(c, ns);
    }
  }, 200_000);

  it('rejects a privileged pod in a restricted Pod Security namespace with 403', async () => {
    const ns = uniqueName('it-pss');
    await createNamespace(c, ns, { 'pod-security.kubernetes.io/enforce': 'restricted' });
    try {
      const msg = await checkPodSecurityRejects(c, ns);
      expect(msg).toMatch(/403/);
      expect(msg).toMatch(/violates PodSecurity "restricted:latest"/);
    } finally {
      await deleteNamespace(c, ns);
    }
  }, 60_000);

  it('binds a 5Gi claim without storageClassName (default StorageClass), and deleting it removes the volume', async () => {
    const ns = uniqueName('it-pvc');
    await createNamespace(c, ns);
    try {
      // What the vcluster control plane StatefulSet claims.
      await c.core.createNamespacedPersistentVolumeClaim({
        namespace: ns,
        body: {
          metadata: { name: 'data' },
          spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '5Gi' } } },
        },
      });
      const pvc = await eventually('claim data Bound', async () => {
        const p = await c.core.readNamespacedPersistentVolumeClaim({ name: 'data', namespace: ns });
        return p.status?.phase === 'Bound' ? p : undefined;
      });
      expect(pvc.spec?.storageClassName).toBe('standard');
      const pvName = pvc.spec?.volumeName ?? '';
      const pv = await c.core.readPersistentVolume({ name: pvName });
      expect(pv.spec?.capacity?.storage).toBe('5Gi');
      expect(pv.spec?.persistentVolumeReclaimPolicy).toBe('Delete');
      const dir = pv.spec?.hostPath?.path ?? '';
      expect(dir).toMatch(/^\/tmp\/hostpath_pv\//);
      expect(fs.existsSync(dir)).toBe(true);

      await c.core.deleteNamespacedPersistentVolumeClaim({ name: 'data', namespace: ns });
      await eventually(`PV ${pvName} deleted`, async () => {
        try {
          await c.core.readPersistentVolume({ name: pvName });
          return false;
        } catch (e) {
          return statusOf(e) === 404;
        }
      });
      expect(fs.existsSync(dir)).toBe(false);
    } finally {
      await deleteNamespace(c, ns);
    }
  }, 120_000);
});
