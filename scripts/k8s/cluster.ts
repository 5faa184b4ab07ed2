/**
 * Local Kubernetes host cluster made of real control-plane binaries built from Go modules
 * (scripts/k8s/build.sh) and run as detached local processes:
 *   etcd -> kube-apiserver -> kube-controller-manager, kube-scheduler, kwok (fake nodes/pods).
 *
 * State of an instance lives in <repo>/.data/k8s/<name>/ (certs, etcd data, pid files, logs,
 * kubeconfig). Binaries live in a cache dir outside the repo (see binDir()).
 *
 * Used by scripts/k8s/up.ts, down.ts, check.ts, the integration tests, and the portal's
 * host-clusters page (clusterStatus()).
 */
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// ---------------------------------------------------------------------------------------------
// Versions and locations
// ---------------------------------------------------------------------------------------------

export const K8S_VERSION = process.env.VCP_K8S_VERSION ?? 'v1.36.3';

export const COMPONENT_BINARIES = [
  'etcd',
  'kube-apiserver',
  'kube-controller-manager',
  'kube-scheduler',
  'kwok',
  'kubectl',
  'helm',
] as const;

/** Processes that make up one running instance, in start order. */
export const PROCESSES = ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kwok'] as const;
export type ProcessName = (typeof PROCESSES)[number];

/** Port offsets from an instance's portBase. */
export const PORT_OFFSETS = {
  etcdClient: 0,
  etcdPeer: 1,
  apiserver: 43,
  kwok: 47,
  controllerManager: 57,
  scheduler: 59,
} as const;

export const DEFAULT_PORT_BASES: Record<string, number> = { dev: 16400, test: 17400 };

export const FAKE_NODE_COUNT = 3;

function findRepoRoot(): string {
  if (process.env.VCP_REPO_ROOT) return path.resolve(process.env.VCP_REPO_ROOT);
  const candidates: string[] = [];
  try {
    candidates.push(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..'));
  } catch {
    /* bundled: no file URL */
  }
  candidates.push(process.cwd());
  for (const start of candidates) {
    let dir = start;
    for (;;) {
      if (fs.existsSync(path.join(dir, 'scripts/k8s/build.sh')) && fs.existsSync(path.join(dir, 'package.json'))) {
        return dir;
      }
      const parent = path.dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  return process.cwd();
}

export const repoRoot = findRepoRoot();

/** Cache dir holding bin/, stage/, VERSION and progress.json for this Kubernetes version. */
export function cacheDir(): string {
  const root = process.env.VCP_CACHE_DIR ?? path.join(os.homedir(), '.cache', 'vcluster-portal');
  return path.join(root, `k8s-${K8S_VERSION}`);
}

export function binDir(): string {
  return path.join(cacheDir(), 'bin');
}

export function dataRoot(): string {
  return process.env.VCP_K8S_DATA_DIR ?? path.join(repoRoot, '.data', 'k8s');
}

export function instanceDir(name: string): string {
  return path.join(dataRoot(), name);
}

export function kubeconfigPath(name: string): string {
  return path.join(instanceDir(name), 'kubeconfig');
}

export function buildScript(): string {
  return path.join(repoRoot, 'scripts', 'k8s', 'build.sh');
}

function validateName(name: string): void {
  if (!/^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$/.test(name)) {
    throw new Error(`invalid cluster name "${name}": use lowercase letters, digits and "-" (max 40)`);
  }
}

/** dev -> 16400, test -> 17400, anything else: a stable base in 20000..32600 (below Linux's ephemeral range) derived from the name. */
export function defaultPortBase(name: string): number {
  if (DEFAULT_PORT_BASES[name] !== undefined) return DEFAULT_PORT_BASES[name];
  const h = crypto.createHash('sha256').update(name).digest().readUInt32BE(0);
  return 20000 + (h % 127) * 100;
}

export function portsFor(portBase: number) {
  return Object.fromEntries(Object.entries(PORT_OFFSETS).map(([k, v]) => [k, portBase + v])) as {
    [K in keyof typeof PORT_OFFSETS]: number;
  };
}

// ---------------------------------------------------------------------------------------------
// Build
// ---------------------------------------------------------------------------------------------

export function isBuilt(): boolean {
  const bin = binDir();
  return (
    COMPONENT_BINARIES.every((b) => fs.existsSync(path.join(bin, b))) &&
    fs.existsSync(path.join(cacheDir(), 'stage', 'pod', 'general', 'pod-ready.yaml'))
  );
}

export interface BuildProgress {
  state: 'building' | 'done' | 'failed';
  done: number;
  total: number;
  current: string;
  detail: string;
  pid: number;
  startedAt: number;
  updatedAt: number;
}

export function readBuildProgress(): BuildProgress | null {
  try {
    return JSON.parse(fs.readFileSync(path.join(cacheDir(), 'progress.json'), 'utf8')) as BuildProgress;
  } catch {
    return null;
  }
}

/** Is a Go toolchain there to build with? VCP_GO_BIN names the go binary (default: go on PATH or /usr/local/go). */
export function goAvailable(): boolean {
  const goBin = process.env.VCP_GO_BIN;
  if (goBin) return spawnSync(goBin, ['version'], { stdio: 'ignore' }).status === 0;
  const r = spawnSync('bash', ['-c', 'command -v go || test -x /usr/local/go/bin/go'], { stdio: 'ignore' });
  return r.status === 0;
}

export const NO_GO_MESSAGE =
  'Go is not installed, so the local Kubernetes cluster cannot be built (scripts/k8s/build.sh needs Go ≥ 1.26 ' +
  'and the Go module proxy). Attach an existing cluster instead: set KUBECONFIG=/path/to/kubeconfig for the ' +
  'portal (or run it in-cluster with a service account), see docs/local-kubernetes.md.';

/** Runs build.sh (idempotent) and streams its output lines. */
export async function ensureBuilt(onLine: (line: string) => void = () => {}): Promise<void> {
  if (isBuilt()) return;
  if (!goAvailable()) throw new Error(NO_GO_MESSAGE);
  await new Promise<void>((resolve, reject) => {
    const child = spawn('bash', [buildScript()], { stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
    let tail: string[] = [];
    const feed = (buf: Buffer, all: boolean) => {
      for (const line of buf.toString().split('\n')) {
        if (!line.trim()) continue;
        tail = [...tail.slice(-30), line];
        if (all || line.startsWith('[k8s build]') || line.startsWith('[vcluster charts]')) onLine(line);
      }
    };
    child.stdout.on('data', (b: Buffer) => feed(b, false));
    child.stderr.on('data', (b: Buffer) => feed(b, false));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0 && isBuilt()) resolve();
      else if (code === 3) reject(new Error(NO_GO_MESSAGE));
      else reject(new Error(`scripts/k8s/build.sh failed (exit ${code}):\n${tail.join('\n')}`));
    });
  });
}

/** The real vcluster Helm charts (scripts/k8s/chart-repo.ts); needs helm, so call it after ensureBuilt. */
async function ensureVclusterCharts(log: (line: string) => void): Promise<void> {
  // Loaded lazily: chart-repo.ts imports this module.
  const charts = await import('./chart-repo');
  await charts.ensureVclusterCharts(log);
}

// ---------------------------------------------------------------------------------------------
// Instance state
// ---------------------------------------------------------------------------------------------

interface InstanceState {
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

function readState(name: string): InstanceState | null {
  try {
    return JSON.parse(fs.readFileSync(statePath(name), 'utf8')) as InstanceState;
  } catch {
    return null;
  }
}

function writeState(name: string, s: Omit<InstanceState, 'updatedAt' | 'name' | 'ownerPid' | 'k8sVersion'>) {
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

function pidFile(name: string, proc: ProcessName) {
  return path.join(instanceDir(name), 'run', `${proc}.pid`);
}

function logFile(name: string, proc: ProcessName) {
  return path.join(instanceDir(name), 'logs', `${proc}.log`);
}

function readPid(file: string): number | null {
  try {
    const n = Number.parseInt(fs.readFileSync(file, 'utf8').trim(), 10);
    return Number.isFinite(n) && n > 1 ? n : null;
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  // A zombie counts as dead.
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const st = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
    return st !== 'Z' && st !== 'X';
  } catch {
    return true;
  }
}

function cmdlineOf(pid: number): string[] {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return [];
  }
}

/** pid of a component if its pid file points at a live process that really is that component of this instance. */
function livePid(name: string, proc: ProcessName): number | null {
  const pid = readPid(pidFile(name, proc));
  if (!pid || !isAlive(pid)) return null;
  const cmd = cmdlineOf(pid);
  const dir = instanceDir(name) + path.sep;
  if (cmd.length && (path.basename(cmd[0] ?? '') !== proc || !cmd.some((a) => a.includes(dir)))) {
    return null; // pid reused by something else
  }
  return pid;
}

/** Every process whose command line references this instance's directory and runs one of our binaries. */
function strayProcesses(name: string): number[] {
  const dir = instanceDir(name) + path.sep;
  const ours = new Set<string>(PROCESSES);
  const found: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    const cmd = cmdlineOf(pid);
    if (!cmd.length || !ours.has(path.basename(cmd[0] ?? ''))) continue;
    if (cmd.some((a) => a.includes(dir))) found.push(pid);
  }
  return found;
}

const firstLine = (e: unknown) => (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function signal(pid: number, sig: NodeJS.Signals, group: boolean) {
  try {
    process.kill(group ? -pid : pid, sig);
  } catch {
    /* gone */
  }
}

/** Stops every process of an instance: pid files, their process groups, then any stray by /proc scan. */
export async function stopProcesses(name: string, log: (l: string) => void = () => {}): Promise<void> {
  const targets = new Set<number>();
  for (const proc of [...PROCESSES].reverse()) {
    const pid = readPid(pidFile(name, proc));
    if (pid && isAlive(pid)) {
      // only signal it if it is ours (pid may have been reused)
      const cmd = cmdlineOf(pid);
      if (!cmd.length || cmd.some((a) => a.includes(instanceDir(name) + path.sep))) targets.add(pid);
    }
  }
  for (const pid of strayProcesses(name)) targets.add(pid);
  if (targets.size === 0) return;
  log(`stopping ${targets.size} process(es): ${[...targets].join(', ')}`);
  for (const pid of targets) {
    signal(pid, 'SIGTERM', true); // each component runs in its own process group (detached)
    signal(pid, 'SIGTERM', false);
  }
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline && [...targets].some(isAlive)) await sleep(200);
  for (const pid of targets) {
    if (isAlive(pid)) {
      signal(pid, 'SIGKILL', true);
      signal(pid, 'SIGKILL', false);
    }
  }
  const deadline2 = Date.now() + 5_000;
  while (Date.now() < deadline2 && [...targets].some(isAlive)) await sleep(100);
  const left = [...targets, ...strayProcesses(name)].filter(isAlive);
  if (left.length) throw new Error(`could not stop processes ${left.join(', ')} of cluster "${name}"`);
  for (const proc of PROCESSES) fs.rmSync(pidFile(name, proc), { force: true });
}

// ---------------------------------------------------------------------------------------------
// Ports
// ---------------------------------------------------------------------------------------------

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen({ port, host: '127.0.0.1', exclusive: true }, () => srv.close(() => resolve(true)));
  });
}

/** Best-effort: which pid listens on a TCP port (reads /proc/net/tcp{,6} and /proc/<pid>/fd). */
export function pidListeningOn(port: number): number | null {
  const inodes = new Set<string>();
  for (const f of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = fs.readFileSync(f, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 10) continue;
      const local = cols[1] ?? '';
      const st = cols[3];
      if (st === '0A' && Number.parseInt(local.split(':')[1] ?? '', 16) === port) inodes.add(cols[9] ?? '');
    }
  }
  if (!inodes.size) return null;
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let fds: string[] = [];
    try {
      fds = fs.readdirSync(`/proc/${entry}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(fs.readlinkSync(`/proc/${entry}/fd/${fd}`));
        if (m && inodes.has(m[1] ?? '')) return Number(entry);
      } catch {
        /* raced */
      }
    }
  }
  return null;
}

/** TCP states (hex from /proc/net/tcp) of sockets bound to a local port, for error messages. */
function socketStates(port: number): string[] {
  const names: Record<string, string> = { '01': 'ESTABLISHED', '02': 'SYN_SENT', '04': 'FIN_WAIT1', '05': 'FIN_WAIT2', '06': 'TIME_WAIT', '08': 'CLOSE_WAIT', '09': 'LAST_ACK', '0A': 'LISTEN', '0B': 'CLOSING' };
  const out: string[] = [];
  for (const f of ['/proc/net/tcp', '/proc/net/tcp6']) {
    try {
      for (const line of fs.readFileSync(f, 'utf8').split('\n').slice(1)) {
        const cols = line.trim().split(/\s+/);
        if (cols.length > 3 && Number.parseInt((cols[1] ?? '').split(':')[1] ?? '', 16) === port) {
          out.push(names[cols[3] ?? ''] ?? cols[3] ?? '?');
        }
      }
    } catch {
      /* no procfs */
    }
  }
  return out;
}

async function assertPortsFree(portBase: number) {
  for (const [what, port] of Object.entries(portsFor(portBase))) {
    // Sockets of a process that just exited (FIN_WAIT/TIME_WAIT) can block a bind for a few seconds: wait for
    // them; a live listener fails at once.
    const deadline = Date.now() + 20_000;
    for (;;) {
      if (await portFree(port)) break;
      const pid = pidListeningOn(port);
      if (pid || Date.now() > deadline) {
        const exe = pid ? cmdlineOf(pid)[0] : undefined;
        const who = pid ? `pid ${pid}${exe ? ` ${path.basename(exe)}` : ''}` : `pid unknown; sockets: ${socketStates(port).join(', ') || 'none'}`;
        throw new Error(
          `port ${port} (${what}) is in use by another process (${who}); pass --port-base (portBase) to use other ports`,
        );
      }
      await sleep(500);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// PKI, tokens, kubeconfigs
// ---------------------------------------------------------------------------------------------

function openssl(args: string[], cwd: string) {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

interface Pki {
  dir: string;
  caCrt: string;
  caKey: string;
  serverCrt: string;
  serverKey: string;
  saKey: string;
  saPub: string;
  tokens: Record<'admin' | 'controllerManager' | 'scheduler' | 'kwok', string>;
  tokenFile: string;
}

function ensurePki(name: string): Pki {
  const dir = path.join(instanceDir(name), 'pki');
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const p = (f: string) => path.join(dir, f);
  const pki: Pki = {
    dir,
    caCrt: p('ca.crt'),
    caKey: p('ca.key'),
    serverCrt: p('apiserver.crt'),
    serverKey: p('apiserver.key'),
    saKey: p('sa.key'),
    saPub: p('sa.pub'),
    tokenFile: p('tokens.csv'),
    tokens: { admin: '', controllerManager: '', scheduler: '', kwok: '' },
  };
  const complete = [pki.caCrt, pki.caKey, pki.serverCrt, pki.serverKey, pki.saKey, pki.saPub, p('tokens.json')].every(
    (f) => fs.existsSync(f),
  );
  if (!complete) {
    try {
      execFileSync('openssl', ['version'], { stdio: 'ignore' });
    } catch {
      throw new Error('openssl is required to create the local cluster certificates (apt-get install -y openssl)');
    }
    openssl(['genrsa', '-out', 'ca.key', '2048'], dir);
    openssl(
      ['req', '-x509', '-new', '-nodes', '-key', 'ca.key', '-sha256', '-days', '3650', '-subj', `/CN=vcp-${name}-ca`, '-out', 'ca.crt'],
      dir,
    );
    fs.writeFileSync(
      p('apiserver.ext'),
      [
        'basicConstraints=CA:FALSE',
        'keyUsage=critical,digitalSignature,keyEncipherment',
        'extendedKeyUsage=serverAuth',
        'subjectAltName=IP:127.0.0.1,IP:10.96.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,' +
          'DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local',
        '',
      ].join('\n'),
    );
    openssl(['genrsa', '-out', 'apiserver.key', '2048'], dir);
    openssl(['req', '-new', '-key', 'apiserver.key', '-subj', '/CN=kube-apiserver', '-out', 'apiserver.csr'], dir);
    openssl(
      [
        'x509', '-req', '-in', 'apiserver.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial',
        '-days', '3650', '-sha256', '-extfile', 'apiserver.ext', '-out', 'apiserver.crt',
      ],
      dir,
    );
    openssl(['genrsa', '-out', 'sa.key', '2048'], dir);
    openssl(['rsa', '-in', 'sa.key', '-pubout', '-out', 'sa.pub'], dir);
    const tok = () => crypto.randomBytes(24).toString('hex');
    fs.writeFileSync(
      p('tokens.json'),
      JSON.stringify({ admin: tok(), controllerManager: tok(), scheduler: tok(), kwok: tok() }, null, 2),
      { mode: 0o600 },
    );
  }
  if (!fs.existsSync(p('front-proxy-client.crt'))) {
    // Separate CA for the aggregation layer's request-header authentication (aggregated APIs such as
    // metrics-server); without it the components log "missing content for CA bundle" forever.
    openssl(['genrsa', '-out', 'front-proxy-ca.key', '2048'], dir);
    openssl(
      ['req', '-x509', '-new', '-nodes', '-key', 'front-proxy-ca.key', '-sha256', '-days', '3650', '-subj', `/CN=vcp-${name}-front-proxy-ca`, '-out', 'front-proxy-ca.crt'],
      dir,
    );
    fs.writeFileSync(p('front-proxy-client.ext'), 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n');
    openssl(['genrsa', '-out', 'front-proxy-client.key', '2048'], dir);
    openssl(['req', '-new', '-key', 'front-proxy-client.key', '-subj', '/CN=front-proxy-client', '-out', 'front-proxy-client.csr'], dir);
    openssl(
      [
        'x509', '-req', '-in', 'front-proxy-client.csr', '-CA', 'front-proxy-ca.crt', '-CAkey', 'front-proxy-ca.key',
        '-CAcreateserial', '-days', '3650', '-sha256', '-extfile', 'front-proxy-client.ext', '-out', 'front-proxy-client.crt',
      ],
      dir,
    );
  }
  pki.tokens = JSON.parse(fs.readFileSync(p('tokens.json'), 'utf8'));
  // token,user,uid,"group1,group2"
  fs.writeFileSync(
    pki.tokenFile,
    [
      `${pki.tokens.admin},admin,vcp-admin,"system:masters"`,
      `${pki.tokens.controllerManager},system:kube-controller-manager,vcp-kube-controller-manager`,
      `${pki.tokens.scheduler},system:kube-scheduler,vcp-kube-scheduler`,
      `${pki.tokens.kwok},kwok,vcp-kwok,"system:masters"`,
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
  return pki;
}

function kubeconfigYaml(name: string, server: string, caCrtPath: string, user: string, token: string): string {
  const ca = fs.readFileSync(caCrtPath).toString('base64');
  const ctx = `vcp-${name}`;
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    `- name: ${ctx}`,
    '  cluster:',
    `    server: ${server}`,
    `    certificate-authority-data: ${ca}`,
    'users:',
    `- name: ${user}`,
    '  user:',
    `    token: ${token}`,
    'contexts:',
    `- name: ${ctx}`,
    '  context:',
    `    cluster: ${ctx}`,
    `    user: ${user}`,
    `current-context: ${ctx}`,
    '',
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------
// Talking to the API server (no client library needed here)
// ---------------------------------------------------------------------------------------------

interface ApiTarget {
  server: string; // https://127.0.0.1:port
  ca: Buffer;
  token: string;
}

/** Loosely typed JSON of a Kubernetes API response; callers narrow what they read. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- arbitrary API objects, read field by field
type ApiJson = Record<string, any>;

export async function apiRequest(
  t: ApiTarget,
  method: string,
  urlPath: string,
  body?: unknown,
  timeoutMs = 10_000,
): Promise<{ status: number; body: string; json: ApiJson | undefined }> {
  const url = new URL(urlPath, t.server);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = https.request(
      url,
      {
        method,
        ca: t.ca,
        headers: {
          authorization: `Bearer ${t.token}`,
          accept: 'application/json',
          ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}),
        },
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          let json: ApiJson | undefined = undefined;
          try {
            json = JSON.parse(text);
          } catch {
            /* not json */
          }
          resolve({ status: res.statusCode ?? 0, body: text, json });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`timeout after ${timeoutMs}ms: ${method} ${url}`)));
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}

function httpGet(url: string, timeoutMs = 3000): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

function targetFor(name: string, portBase: number): ApiTarget | null {
  const tokens = path.join(instanceDir(name), 'pki', 'tokens.json');
  const ca = path.join(instanceDir(name), 'pki', 'ca.crt');
  if (!fs.existsSync(tokens) || !fs.existsSync(ca)) return null;
  return {
    server: `https://127.0.0.1:${portsFor(portBase).apiserver}`,
    ca: fs.readFileSync(ca),
    token: JSON.parse(fs.readFileSync(tokens, 'utf8')).admin,
  };
}

async function readyz(t: ApiTarget): Promise<{ ok: boolean; detail: string }> {
  try {
    const r = await apiRequest(t, 'GET', '/readyz', undefined, 5000);
    return { ok: r.status === 200, detail: r.status === 200 ? 'ok' : `/readyz ${r.status}: ${r.body.slice(0, 300)}` };
  } catch (e) {
    return { ok: false, detail: (e as Error).message };
  }
}

async function nodesReady(t: ApiTarget): Promise<{ ready: number; total: number }> {
  const r = await apiRequest(t, 'GET', '/api/v1/nodes?labelSelector=type%3Dkwok');
  if (r.status !== 200) return { ready: 0, total: 0 };
  const items = (r.json?.items ?? []) as { status?: { conditions?: { type: string; status: string }[] } }[];
  const ready = items.filter((n) =>
    (n.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True'),
  ).length;
  return { ready, total: items.length };
}

// ---------------------------------------------------------------------------------------------
// Processes
// ---------------------------------------------------------------------------------------------

function tailLog(file: string, lines = 25): string {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

function startProcess(name: string, proc: ProcessName, args: string[]): number {
  const bin = path.join(binDir(), proc);
  fs.mkdirSync(path.dirname(logFile(name, proc)), { recursive: true });
  fs.mkdirSync(path.dirname(pidFile(name, proc)), { recursive: true });
  const out = fs.openSync(logFile(name, proc), 'a');
  fs.writeSync(out, `\n===== ${new Date().toISOString()} starting ${proc} ${args.join(' ')}\n`);
  const child = spawn(bin, args, {
    cwd: instanceDir(name),
    detached: true, // own session + process group; survives our exit
    stdio: ['ignore', out, out],
    env: { ...process.env, GOMAXPROCS: process.env.GOMAXPROCS ?? '2' },
  });
  fs.closeSync(out);
  if (!child.pid) throw new Error(`failed to start ${bin}`);
  child.unref();
  fs.writeFileSync(pidFile(name, proc), `${child.pid}\n`);
  return child.pid;
}

async function waitFor(
  what: string,
  name: string,
  proc: ProcessName | null,
  check: () => Promise<boolean>,
  timeoutMs: number,
  lastDetail: () => string = () => '',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (proc && !livePid(name, proc)) {
      throw new Error(`${proc} exited while waiting for ${what}; last log lines (${logFile(name, proc)}):\n${tailLog(logFile(name, proc))}`);
    }
    if (Date.now() > deadline) {
      const d = lastDetail();
      throw new Error(
        `timed out after ${Math.round(timeoutMs / 1000)}s waiting for ${what}${d ? `: ${d}` : ''}` +
          (proc ? `\nlast log lines (${logFile(name, proc)}):\n${tailLog(logFile(name, proc))}` : ''),
      );
    }
    await sleep(500);
  }
}

function kwokConfigFile(name: string): string {
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

function fakeNode(i: number) {
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

// ---------------------------------------------------------------------------------------------
// Storage: the in-tree hostPath provisioner of kube-controller-manager behind a default StorageClass
// (the vcluster control plane claims a 5Gi volume). No kubelet mounts anything: the volumes are
// empty directories /tmp/hostpath_pv/<uuid> that only make claims Bound.
// ---------------------------------------------------------------------------------------------

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
async function ensureDefaultStorageClass(t: ApiTarget): Promise<void> {
  const r = await apiRequest(t, 'POST', '/apis/storage.k8s.io/v1/storageclasses', DEFAULT_STORAGE_CLASS);
  if (r.status !== 201 && r.status !== 409) {
    throw new Error(`creating StorageClass standard failed: ${r.status} ${r.body.slice(0, 300)}`);
  }
}

/**
 * Removes the volume dirs of this instance's hostPath PVs. `down` throws etcd away, so volumes whose claims
 * still exist would never reach the deleter and their dirs would pile up in /tmp. Best effort: needs the API.
 */
async function removeHostPathVolumeDirs(t: ApiTarget, log: (l: string) => void): Promise<void> {
  const r = await apiRequest(t, 'GET', '/api/v1/persistentvolumes', undefined, 5000).catch(() => null);
  const items: { spec?: { hostPath?: { path?: string } } }[] = r?.status === 200 ? (r.json?.items ?? []) : [];
  const dirs = items.map((pv) => pv.spec?.hostPath?.path ?? '').filter((p) => HOSTPATH_PV_DIR.test(p));
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  if (dirs.length) log(`removed ${dirs.length} hostPath volume dir(s) under /tmp/hostpath_pv`);
}

/** Why a running instance must be restarted to get what this version of cluster.ts starts, or null. */
function outdatedReason(name: string): string | null {
  const pid = livePid(name, 'kube-controller-manager');
  if (pid && !cmdlineOf(pid).includes(HOSTPATH_PROVISIONER_FLAG)) {
    return `kube-controller-manager runs without ${HOSTPATH_PROVISIONER_FLAG}`;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Instance lock (one upCluster/downCluster per name at a time, across processes)
// ---------------------------------------------------------------------------------------------

const inProcessLocks = new Map<string, Promise<unknown>>();

/** Serialises up/down of one instance: within this process (promise chain) and across processes (lock file). */
function withInstanceLock<T>(name: string, fn: () => Promise<T>, timeoutMs = 60 * 60_000): Promise<T> {
  const prev = inProcessLocks.get(name) ?? Promise.resolve();
  const next = prev.catch(() => {}).then(() => withFileLock(name, fn, timeoutMs));
  inProcessLocks.set(name, next);
  void next.finally(() => {
    if (inProcessLocks.get(name) === next) inProcessLocks.delete(name);
  }).catch(() => {});
  return next;
}

async function withFileLock<T>(name: string, fn: () => Promise<T>, timeoutMs: number): Promise<T> {
  fs.mkdirSync(dataRoot(), { recursive: true });
  const lock = path.join(dataRoot(), `.${name}.lock`);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      fs.writeFileSync(lock, `${process.pid}\n`, { flag: 'wx' });
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const holder = readPid(lock);
      if (!holder || !isAlive(holder) || holder === process.pid) {
        fs.rmSync(lock, { force: true }); // stale
        continue;
      }
      if (Date.now() > deadline) throw new Error(`cluster "${name}" is locked by pid ${holder}`);
      await sleep(500);
    }
  }
  try {
    return await fn();
  } finally {
    if (readPid(lock) === process.pid) fs.rmSync(lock, { force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------------

export interface UpOptions {
  /** instance name, default "dev" */
  name?: string;
  /** first of ~100 ports (default: dev 16400, test 17400, else derived from the name) */
  portBase?: number;
  /** progress lines (build output, start steps) */
  log?: (line: string) => void;
}

export interface UpResult {
  name: string;
  kubeconfig: string;
  server: string;
  portBase: number;
  /** true when an already running healthy instance was reused */
  reused: boolean;
}

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
async function healthy(name: string, portBase: number): Promise<{ ok: boolean; detail: string }> {
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

export async function upCluster(opts: UpOptions = {}): Promise<UpResult> {
  const name = opts.name ?? 'dev';
  validateName(name);
  const log = opts.log ?? (() => {});
  return withInstanceLock(name, async () => {
    const prev = readState(name);
    const portBase = opts.portBase ?? prev?.portBase ?? defaultPortBase(name);
    // 1. Already running and healthy -> reuse.
    if (prev && isBuilt()) {
      const h = await healthy(name, prev.portBase);
      const outdated = h.ok ? outdatedReason(name) : null;
      if (h.ok && !outdated) {
        if (opts.portBase !== undefined && opts.portBase !== prev.portBase) {
          log(`cluster "${name}" already runs on port base ${prev.portBase} (asked ${opts.portBase}); reusing it`);
        }
        await ensureVclusterCharts(log);
        writeState(name, { portBase: prev.portBase, phase: 'ready', detail: h.detail });
        return {
          name,
          kubeconfig: kubeconfigPath(name),
          server: `https://127.0.0.1:${portsFor(prev.portBase).apiserver}`,
          portBase: prev.portBase,
          reused: true,
        };
      }
      log(`cluster "${name}" ${outdated ?? `is not healthy (${h.detail})`}; restarting it`);
    }

    // 2. Binaries.
    if (!isBuilt()) {
      if (!goAvailable()) {
        writeState(name, { portBase, phase: 'failed', detail: NO_GO_MESSAGE });
        throw new Error(NO_GO_MESSAGE);
      }
      writeState(name, { portBase, phase: 'building', detail: 'building Kubernetes binaries' });
      log(`building Kubernetes ${K8S_VERSION} binaries into ${binDir()} (first time ~9 min on 2 cores; ~1.5 min with a warm Go build cache)`);
      try {
        await ensureBuilt(log);
      } catch (e) {
        writeState(name, { portBase, phase: 'failed', detail: firstLine(e) });
        throw e;
      }
    }
    try {
      await ensureVclusterCharts(log);
    } catch (e) {
      writeState(name, { portBase, phase: 'failed', detail: firstLine(e) });
      throw e;
    }

    try {
      return await startInstance(name, portBase, log);
    } catch (e) {
      writeState(name, { portBase, phase: 'failed', detail: firstLine(e) });
      throw e;
    }
  });
}

async function startInstance(
  name: string,
  portBase: number,
  log: (l: string) => void,
): Promise<UpResult> {
  const dir = instanceDir(name);
  const ports = portsFor(portBase);
  const server = `https://127.0.0.1:${ports.apiserver}`;
  writeState(name, { portBase, phase: 'starting', detail: 'cleaning up leftovers' });

  // 3. Recovery: kill whatever is left of a previous run of this instance.
  await stopProcesses(name, log);
  await assertPortsFree(portBase);

  for (const d of ['logs', 'run', 'etcd', 'certs']) fs.mkdirSync(path.join(dir, d), { recursive: true });
  const pki = ensurePki(name);
  const write = (f: string, user: string, token: string) => {
    const p = path.join(dir, f);
    fs.writeFileSync(p, kubeconfigYaml(name, server, pki.caCrt, user, token), { mode: 0o600 });
    return p;
  };
  const kcmKubeconfig = write('kube-controller-manager.kubeconfig', 'system:kube-controller-manager', pki.tokens.controllerManager);
  const schedKubeconfig = write('kube-scheduler.kubeconfig', 'system:kube-scheduler', pki.tokens.scheduler);
  const kwokKubeconfig = write('kwok.kubeconfig', 'kwok', pki.tokens.kwok);
  const target: ApiTarget = { server, ca: fs.readFileSync(pki.caCrt), token: pki.tokens.admin };

  // 4. etcd (data kept across restarts; wiped once if it will not come up).
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
  for (const proc of PROCESSES) {
    if (!livePid(name, proc)) throw new Error(`${proc} exited during startup:\n${tailLog(logFile(name, proc))}`);
  }
  writeState(name, { portBase, phase: 'ready', detail: `ready: ${FAKE_NODE_COUNT} nodes, API ${server}` });
  log(`cluster "${name}" is ready: ${server}`);
  return { name, kubeconfig, server, portBase, reused: false };
}

/** Stops every process of the instance and removes its data dir. Never leaves processes behind. */
export async function downCluster(name = 'dev', opts: { log?: (l: string) => void } = {}): Promise<void> {
  validateName(name);
  const log = opts.log ?? (() => {});
  await withInstanceLock(name, async () => {
    if (fs.existsSync(instanceDir(name))) {
      const prev = readState(name);
      if (prev) writeState(name, { portBase: prev.portBase, phase: 'stopping', detail: 'stopping' });
      const t = prev ? targetFor(name, prev.portBase) : null;
      if (t) await removeHostPathVolumeDirs(t, log);
    }
    await stopProcesses(name, log);
    fs.rmSync(instanceDir(name), { recursive: true, force: true });
    log(`cluster "${name}" removed`);
  });
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

/** Resident memory (RSS, KiB) of each running process of an instance. */
export function processRss(name = 'dev'): Partial<Record<ProcessName, { pid: number; rssKiB: number }>> {
  const out: Partial<Record<ProcessName, { pid: number; rssKiB: number }>> = {};
  for (const proc of PROCESSES) {
    const pid = livePid(name, proc);
    if (!pid) continue;
    try {
      const m = /VmRSS:\s+(\d+)\s+kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m) out[proc] = { pid, rssKiB: Number(m[1]) };
    } catch {
      /* gone */
    }
  }
  return out;
}
