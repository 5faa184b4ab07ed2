/**
 * The Kubernetes binaries (etcd, kube-apiserver, …, kwok, kubectl, helm), built from Go modules by
 * scripts/k8s/build.sh into the shared cache (binDir()). build.sh holds a flock on the cache, so two
 * checkouts building at once wait for each other instead of racing.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { binDir, buildScript, cacheDir } from './locations';

const COMPONENT_BINARIES = [
  'etcd',
  'kube-apiserver',
  'kube-controller-manager',
  'kube-scheduler',
  'kwok',
  'kubectl',
  'helm',
] as const;

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
