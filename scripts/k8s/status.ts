/**
 * What an instance is doing now, for `npm start`'s status file and the portal's Hosts page: its
 * state.json checked against reality (owner alive, processes alive, /readyz, nodes Ready).
 */
import fs from 'node:fs';
import { nodesReady, readyz, targetFor } from './api-client';
import { readBuildProgress } from './binaries';
import { readState } from './instance-state';
import { FAKE_NODE_COUNT } from './kwok';
import { kubeconfigPath, validateName } from './locations';
import { isAlive, livePid, PROCESSES, strayProcesses, type ProcessName } from './processes';

export type ClusterState = 'absent' | 'building' | 'starting' | 'ready' | 'failed';

export interface ClusterStatus {
  state: ClusterState;
  detail: string;
  progress?: { done: number; total: number };
  kubeconfig?: string;
  portBase?: number;
  pids?: Partial<Record<ProcessName, number | null>>;
}

/** Is the instance running and healthy (all processes alive, /readyz ok, nodes Ready)? */
export async function healthy(name: string, portBase: number): Promise<{ ok: boolean; detail: string }> {
  for (const proc of PROCESSES) {
    if (!livePid(name, proc)) return { ok: false, detail: `${proc} is not running` };
  }
  const t = targetFor(name, portBase);
  if (!t || !fs.existsSync(kubeconfigPath(name))) return { ok: false, detail: 'no credentials/kubeconfig' };
  const rz = await readyz(t);
  if (!rz.ok) return { ok: false, detail: rz.detail };
  const n = await nodesReady(t).catch(() => ({ ready: 0, total: 0 }));
  if (n.ready < FAKE_NODE_COUNT) return { ok: false, detail: `${n.ready}/${FAKE_NODE_COUNT} nodes Ready` };
  return { ok: true, detail: `ready: ${n.ready} nodes, API ${t.server}` };
}

export async function clusterStatus(name = 'dev'): Promise<ClusterStatus> {
  validateName(name);
  const st = readState(name);
  if (!st) {
    if (strayProcesses(name).length) return { state: 'failed', detail: 'processes left without state; run k8s:down' };
    return { state: 'absent', detail: `no local cluster "${name}"` };
  }
  const pids = Object.fromEntries(PROCESSES.map((p) => [p, livePid(name, p)])) as Record<ProcessName, number | null>;
  const base = { portBase: st.portBase, pids };
  const ownerAlive = isAlive(st.ownerPid);
  if (st.phase === 'building') {
    const bp = readBuildProgress();
    if (ownerAlive && bp && bp.state === 'building' && isAlive(bp.pid)) {
      return {
        state: 'building',
        detail: `building ${bp.done}/${bp.total}: ${bp.current}`,
        progress: { done: bp.done, total: bp.total },
        ...base,
      };
    }
    if (ownerAlive) return { state: 'building', detail: st.detail, ...base };
    return { state: 'failed', detail: `build was interrupted (${bp?.detail ?? st.detail})`, ...base };
  }
  if (st.phase === 'starting' || st.phase === 'stopping') {
    if (ownerAlive) return { state: 'starting', detail: st.detail, ...base };
    return { state: 'failed', detail: `start was interrupted at: ${st.detail}`, ...base };
  }
  if (st.phase === 'failed') return { state: 'failed', detail: st.detail, ...base };
  // phase ready: verify
  const h = await healthy(name, st.portBase);
  if (h.ok) return { state: 'ready', detail: h.detail, kubeconfig: kubeconfigPath(name), ...base };
  return { state: 'failed', detail: h.detail, ...base };
}
