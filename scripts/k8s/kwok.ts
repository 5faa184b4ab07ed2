/**
 * kwok: fake nodes that look Ready and run pods in name only. Its Stages (from the kwok module, staged
 * by build.sh) drive node heartbeats and pod phases.
 */
import fs from 'node:fs';
import path from 'node:path';
import { cacheDir, instanceDir, K8S_VERSION } from './locations';

export const FAKE_NODE_COUNT = 3;

export function kwokConfigFile(name: string): string {
  const stage = path.join(cacheDir(), 'stage');
  const files = [
    'node/fast/node-initialize.yaml',
    'node/heartbeat-with-lease/node-heartbeat-with-lease.yaml',
    'pod/general/pod-create.yaml',
    'pod/general/pod-init-container-running.yaml',
    'pod/general/pod-init-container-completed.yaml',
    'pod/general/pod-ready.yaml',
    'pod/general/pod-complete.yaml',
    'pod/general/pod-delete.yaml',
  ];
  const docs = files.map((f) => fs.readFileSync(path.join(stage, f), 'utf8').trim());
  const out = path.join(instanceDir(name), 'kwok.yaml');
  fs.writeFileSync(out, docs.join('\n---\n') + '\n');
  return out;
}

export function fakeNode(i: number) {
  const nodeName = `kwok-node-${i}`;
  const resources = { cpu: '32', memory: '128Gi', pods: '110', 'ephemeral-storage': '500Gi' };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: nodeName,
      annotations: { 'kwok.x-k8s.io/node': 'fake', 'node.alpha.kubernetes.io/ttl': '0' },
      labels: {
        type: 'kwok',
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/os': 'linux',
        'kubernetes.io/hostname': nodeName,
        'node-role.kubernetes.io/agent': '',
        'topology.kubernetes.io/zone': `zone-${i}`,
      },
    },
    spec: {},
    status: {
      allocatable: resources,
      capacity: resources,
      nodeInfo: {
        architecture: 'amd64',
        operatingSystem: 'linux',
        kubeletVersion: `${K8S_VERSION}-kwok`,
        kubeProxyVersion: '',
        osImage: 'kwok fake node',
        kernelVersion: '',
        containerRuntimeVersion: 'kwok',
        bootID: '',
        machineID: '',
        systemUUID: '',
      },
      phase: 'Running',
    },
  };
}
