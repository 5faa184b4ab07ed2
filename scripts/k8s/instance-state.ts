/** <instance>/state.json: what an instance is doing (building, starting, ready…), on which port base, for whom. */
import fs from 'node:fs';
import path from 'node:path';
import { instanceDir, K8S_VERSION } from './locations';

export interface InstanceState {
  name: string;
  portBase: number;
  phase: 'building' | 'starting' | 'ready' | 'failed' | 'stopping';
  detail: string;
  ownerPid: number;
  updatedAt: string;
  k8sVersion: string;
}

function statePath(name: string) {
  return path.join(instanceDir(name), 'state.json');
}

export function readState(name: string): InstanceState | null {
  try {
    return JSON.parse(fs.readFileSync(statePath(name), 'utf8')) as InstanceState;
  } catch {
    return null;
  }
}

export function writeState(name: string, s: Omit<InstanceState, 'updatedAt' | 'name' | 'ownerPid' | 'k8sVersion'>) {
  fs.mkdirSync(instanceDir(name), { recursive: true });
  const full: InstanceState = {
    name,
    ...s,
    ownerPid: process.pid,
    updatedAt: new Date().toISOString(),
    k8sVersion: K8S_VERSION,
  };
  const tmp = `${statePath(name)}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(full, null, 2));
  fs.renameSync(tmp, statePath(name));
}
