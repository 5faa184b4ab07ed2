/**
 * upCluster / downCluster: start (or reuse) and remove a local host cluster instance, one at a time per
 * name (withInstanceLock). State of an instance lives in <repo>/.data/k8s/<name>/; the binaries in the
 * shared cache (binDir()). See docs/local-kubernetes.md.
 */
import fs from 'node:fs';
import { targetFor } from './api-client';
import { ensureBuilt, goAvailable, isBuilt, NO_GO_MESSAGE } from './binaries';
import { ensureVclusterCharts } from './chart-repo';
import { readState, writeState } from './instance-state';
import { binDir, instanceDir, K8S_VERSION, kubeconfigPath, validateName } from './locations';
import { withInstanceLock } from './locks';
import { firstChoicePortBase, rememberPortBase } from './port-base';
import { portsFor } from './ports';
import { stopProcesses } from './processes';
import { startInstance } from './start-instance';
import { healthy } from './status';
import { outdatedReason, removeHostPathVolumeDirs } from './storage';

export interface UpOptions {
  /** instance name, default "dev" */
  name?: string;
  /** first of ~100 ports; exactly this one when given (default: the instance's own, per checkout, see port-base.ts) */
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

const firstLine = (e: unknown) => (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '';

export async function upCluster(opts: UpOptions = {}): Promise<UpResult> {
  const name = opts.name ?? 'dev';
  validateName(name);
  const log = opts.log ?? (() => {});
  return withInstanceLock(name, async () => {
    const prev = readState(name);
    // Shown while building; startInstance settles the base once the binaries are there.
    const portBase = opts.portBase ?? firstChoicePortBase(name, prev?.portBase);
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
        if (opts.portBase === undefined) rememberPortBase(name, prev.portBase);
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
      const started = await startInstance(name, { portBase: opts.portBase, previous: prev?.portBase }, log);
      return { name, ...started, reused: false };
    } catch (e) {
      writeState(name, { portBase: readState(name)?.portBase ?? portBase, phase: 'failed', detail: firstLine(e) });
      throw e;
    }
  });
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
