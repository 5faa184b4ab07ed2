/**
 * Starts the processes of one instance in order and waits until it works (docs/local-kubernetes.md):
 *   etcd -> kube-apiserver -> kube-controller-manager, kube-scheduler, kwok (fake nodes/pods),
 * then creates the fake nodes and the default StorageClass.
 */
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { apiRequest, httpGet, nodesReady, readyz, type ApiTarget } from './api-client';
import { writeState } from './instance-state';
import { fakeNode, FAKE_NODE_COUNT, kwokConfigFile } from './kwok';
import { instanceDir } from './locations';
import { withPortLock } from './locks';
import { ensurePki, kubeconfigYaml } from './pki';
import { choosePortBase, firstChoicePortBase, rememberPortBase } from './port-base';
import { assertPortsFree, portsFor } from './ports';
import { assertRunning, PROCESSES, startProcess, stopProcesses, waitFor } from './processes';
import { ensureDefaultStorageClass, HOSTPATH_PROVISIONER_FLAG } from './storage';

export interface StartedInstance {
  kubeconfig: string;
  server: string;
  portBase: number;
}

/**
 * `portBase` given: exactly that one (an error if its ports are taken). Otherwise the instance's own base
 * (`previous`, or the remembered one) or, when something else holds it, the next free one (port-base.ts).
 */
export async function startInstance(
  name: string,
  bases: { portBase?: number; previous?: number },
  log: (l: string) => void,
): Promise<StartedInstance> {
  const dir = instanceDir(name);
  writeState(name, { portBase: bases.portBase ?? firstChoicePortBase(name, bases.previous), phase: 'starting', detail: 'cleaning up leftovers' });

  // 3. Recovery: kill whatever is left of a previous run of this instance.
  await stopProcesses(name, log);

  for (const d of ['logs', 'run', 'etcd', 'certs']) fs.mkdirSync(path.join(dir, d), { recursive: true });
  const pki = ensurePki(name);

  // 4. Ports and etcd: etcd holds two of the base's ports once it runs, which keeps other instances off the base.
  const portBase = await withPortLock(async () => {
    const base = bases.portBase ?? (await choosePortBase(name, { previous: bases.previous, log }));
    if (bases.portBase !== undefined) await assertPortsFree(base);
    await startEtcd(name, base, log);
    return base;
  });
  if (bases.portBase === undefined) rememberPortBase(name, portBase);
  const ports = portsFor(portBase);
  const server = `https://127.0.0.1:${ports.apiserver}`;
  const write = (f: string, user: string, token: string) => {
    const p = path.join(dir, f);
    fs.writeFileSync(p, kubeconfigYaml(name, server, pki.caCrt, user, token), { mode: 0o600 });
    return p;
  };
  const kcmKubeconfig = write('kube-controller-manager.kubeconfig', 'system:kube-controller-manager', pki.tokens.controllerManager);
  const schedKubeconfig = write('kube-scheduler.kubeconfig', 'system:kube-scheduler', pki.tokens.scheduler);
  const kwokKubeconfig = write('kwok.kubeconfig', 'kwok', pki.tokens.kwok);
  const target: ApiTarget = { server, ca: fs.readFileSync(pki.caCrt), token: pki.tokens.admin };

  // 5. kube-apiserver.
  writeState(name, { portBase, phase: 'starting', detail: 'starting kube-apiserver' });
  log(`starting kube-apiserver on ${server}`);
  startProcess(name, 'kube-apiserver', [
    `--etcd-servers=http://127.0.0.1:${ports.etcdClient}`,
    `--secure-port=${ports.apiserver}`,
    '--bind-address=127.0.0.1',
    '--advertise-address=127.0.0.1',
    `--cert-dir=${path.join(dir, 'certs')}`,
    `--tls-cert-file=${pki.serverCrt}`,
    `--tls-private-key-file=${pki.serverKey}`,
    `--client-ca-file=${pki.caCrt}`,
    `--token-auth-file=${pki.tokenFile}`,
    `--requestheader-client-ca-file=${path.join(pki.dir, 'front-proxy-ca.crt')}`,
    '--requestheader-allowed-names=front-proxy-client',
    '--requestheader-username-headers=X-Remote-User',
    '--requestheader-group-headers=X-Remote-Group',
    '--requestheader-extra-headers-prefix=X-Remote-Extra-',
    `--proxy-client-cert-file=${path.join(pki.dir, 'front-proxy-client.crt')}`,
    `--proxy-client-key-file=${path.join(pki.dir, 'front-proxy-client.key')}`,
    '--authorization-mode=Node,RBAC',
    '--anonymous-auth=true', // lets /healthz,/readyz,/livez (public in RBAC) be probed without credentials
    '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
    `--service-account-key-file=${pki.saPub}`,
    `--service-account-signing-key-file=${pki.saKey}`,
    '--api-audiences=https://kubernetes.default.svc.cluster.local',
    '--service-cluster-ip-range=10.96.0.0/16',
    '--endpoint-reconciler-type=none',
    '--enable-admission-plugins=NamespaceLifecycle,LimitRanger,ServiceAccount,ResourceQuota,PodSecurity,' +
      'DefaultStorageClass,DefaultTolerationSeconds,MutatingAdmissionWebhook,ValidatingAdmissionWebhook,' +
      'ValidatingAdmissionPolicy,PersistentVolumeClaimResize,RuntimeClass,Priority,TaintNodesByCondition,' +
      'StorageObjectInUseProtection,CertificateApproval,CertificateSigning,CertificateSubjectRestriction,' +
      'DefaultIngressClass,NodeRestriction',
    '--enable-priority-and-fairness=true',
    '--allow-privileged=true',
    '--profiling=false',
    '--storage-backend=etcd3',
    '--v=1',
  ]);
  let lastReadyz = '';
  await waitFor(
    'kube-apiserver /readyz',
    name,
    'kube-apiserver',
    async () => {
      const r = await readyz(target);
      lastReadyz = r.detail;
      return r.ok;
    },
    120_000,
    () => lastReadyz,
  );

  // 6. Admin kubeconfig (the one handed out).
  const kubeconfig = write('kubeconfig', 'admin', pki.tokens.admin);

  // 7. Controller manager, scheduler, kwok.
  writeState(name, { portBase, phase: 'starting', detail: 'starting controllers, scheduler and kwok' });
  log('starting kube-controller-manager, kube-scheduler, kwok');
  startProcess(name, 'kube-controller-manager', [
    `--kubeconfig=${kcmKubeconfig}`,
    `--authentication-kubeconfig=${kcmKubeconfig}`,
    `--authorization-kubeconfig=${kcmKubeconfig}`,
    '--bind-address=127.0.0.1',
    `--secure-port=${ports.controllerManager}`,
    `--cert-dir=${path.join(dir, 'certs')}`,
    '--controllers=*',
    '--use-service-account-credentials=true',
    `--service-account-private-key-file=${pki.saKey}`,
    `--root-ca-file=${pki.caCrt}`,
    `--cluster-signing-cert-file=${pki.caCrt}`,
    `--cluster-signing-key-file=${pki.caKey}`,
    '--service-cluster-ip-range=10.96.0.0/16',
    `--cluster-name=vcp-${name}`,
    HOSTPATH_PROVISIONER_FLAG,
    '--leader-elect=false',
    '--profiling=false',
    '--v=1',
  ]);
  startProcess(name, 'kube-scheduler', [
    `--kubeconfig=${schedKubeconfig}`,
    `--authentication-kubeconfig=${schedKubeconfig}`,
    `--authorization-kubeconfig=${schedKubeconfig}`,
    '--bind-address=127.0.0.1',
    `--secure-port=${ports.scheduler}`,
    '--leader-elect=false',
    '--profiling=false',
    '--v=1',
  ]);
  startProcess(name, 'kwok', [
    `--kubeconfig=${kwokKubeconfig}`,
    `--config=${kwokConfigFile(name)}`,
    '--manage-all-nodes=false',
    '--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake',
    '--node-lease-duration-seconds=40',
    '--cidr=10.244.0.0/16',
    '--node-ip=10.0.0.1',
    `--server-address=127.0.0.1:${ports.kwok}`,
  ]);

  // 8. Fake nodes and the default StorageClass.
  for (let i = 0; i < FAKE_NODE_COUNT; i++) {
    const node = fakeNode(i);
    const r = await apiRequest(target, 'POST', '/api/v1/nodes', node);
    if (r.status !== 201 && r.status !== 409) {
      throw new Error(`creating node ${node.metadata.name} failed: ${r.status} ${r.body.slice(0, 300)}`);
    }
  }
  await ensureDefaultStorageClass(target);

  // 9. Wait: nodes Ready (kwok), default service account (controller-manager), scheduler healthy.
  let nodeDetail = '';
  await waitFor(
    `${FAKE_NODE_COUNT} nodes Ready (kwok)`,
    name,
    'kwok',
    async () => {
      const n = await nodesReady(target);
      nodeDetail = `${n.ready}/${n.total} Ready`;
      return n.ready >= FAKE_NODE_COUNT;
    },
    90_000,
    () => nodeDetail,
  );
  await waitFor(
    'the "default" ServiceAccount (kube-controller-manager)',
    name,
    'kube-controller-manager',
    async () => (await apiRequest(target, 'GET', '/api/v1/namespaces/default/serviceaccounts/default')).status === 200,
    90_000,
  );
  const insecureGet = (port: number, p: string) =>
    new Promise<number>((resolve) => {
      https
        .get({ host: '127.0.0.1', port, path: p, rejectUnauthorized: false, timeout: 3000 }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        })
        .on('error', () => resolve(0));
    });
  await waitFor('kube-scheduler /healthz', name, 'kube-scheduler', async () => (await insecureGet(ports.scheduler, '/healthz')) === 200, 60_000);
  for (const proc of PROCESSES) assertRunning(name, proc);
  writeState(name, { portBase, phase: 'ready', detail: `ready: ${FAKE_NODE_COUNT} nodes, API ${server}` });
  log(`cluster "${name}" is ready: ${server}`);
  return { kubeconfig, server, portBase };
}

/** etcd (data kept across restarts; wiped once if it will not come up). */
async function startEtcd(name: string, portBase: number, log: (l: string) => void): Promise<void> {
  const dir = instanceDir(name);
  const ports = portsFor(portBase);
  const etcdArgs = () => [
    '--name=default',
    `--data-dir=${path.join(dir, 'etcd')}`,
    `--listen-client-urls=http://127.0.0.1:${ports.etcdClient}`,
    `--advertise-client-urls=http://127.0.0.1:${ports.etcdClient}`,
    `--listen-peer-urls=http://127.0.0.1:${ports.etcdPeer}`,
    `--initial-advertise-peer-urls=http://127.0.0.1:${ports.etcdPeer}`,
    `--initial-cluster=default=http://127.0.0.1:${ports.etcdPeer}`,
    '--initial-cluster-state=new',
    '--unsafe-no-fsync',
    '--quota-backend-bytes=2147483648',
    '--log-level=warn',
  ];
  const etcdHealthy = async () => {
    const r = await httpGet(`http://127.0.0.1:${ports.etcdClient}/health`);
    return r.status === 200 && r.body.includes('"true"');
  };
  writeState(name, { portBase, phase: 'starting', detail: 'starting etcd' });
  log(`starting etcd on 127.0.0.1:${ports.etcdClient}`);
  startProcess(name, 'etcd', etcdArgs());
  try {
    await waitFor('etcd /health', name, 'etcd', etcdHealthy, 30_000);
  } catch (e) {
    log(`etcd did not come up with its existing data (${(e as Error).message.split('\n')[0]}); wiping etcd data and retrying`);
    await stopProcesses(name, log);
    fs.rmSync(path.join(dir, 'etcd'), { recursive: true, force: true });
    fs.mkdirSync(path.join(dir, 'etcd'), { recursive: true });
    startProcess(name, 'etcd', etcdArgs());
    await waitFor('etcd /health', name, 'etcd', etcdHealthy, 30_000);
  }
}
