/**
 * Where the local Kubernetes host cluster keeps things (docs/local-kubernetes.md "Files of an instance"):
 * the binaries in a cache shared by every checkout on the machine, the state of each instance in the
 * checkout's own <repo>/.data/k8s/<name>/.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const K8S_VERSION = process.env.VCP_K8S_VERSION ?? 'v1.36.3';

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

export function validateName(name: string): void {
  if (!/^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$/.test(name)) {
    throw new Error(`invalid cluster name "${name}": use lowercase letters, digits and "-" (max 40)`);
  }
}
