/**
 * The processes of one instance: started detached (they outlive `npm run k8s:up`), found again through
 * their pid files and command lines (which name the instance dir), waited for, and stopped.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { binDir, instanceDir } from './locations';

/** Processes that make up one running instance, in start order. */
export const PROCESSES = ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kwok'] as const;
export type ProcessName = (typeof PROCESSES)[number];

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function pidFile(name: string, proc: ProcessName) {
  return path.join(instanceDir(name), 'run', `${proc}.pid`);
}

function logFile(name: string, proc: ProcessName) {
  return path.join(instanceDir(name), 'logs', `${proc}.log`);
}

export function readPid(file: string): number | null {
  try {
    const n = Number.parseInt(fs.readFileSync(file, 'utf8').trim(), 10);
    return Number.isFinite(n) && n > 1 ? n : null;
  } catch {
    return null;
  }
}

export function isAlive(pid: number): boolean {
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

export function cmdlineOf(pid: number): string[] {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return [];
  }
}

/** pid of a component if its pid file points at a live process that really is that component of this instance. */
export function livePid(name: string, proc: ProcessName): number | null {
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
export function strayProcesses(name: string): number[] {
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

function tailLog(file: string, lines = 25): string {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

export function startProcess(name: string, proc: ProcessName, args: string[]): number {
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

/** Throws with the last log lines when a component that should be running is not. */
export function assertRunning(name: string, proc: ProcessName): void {
  if (!livePid(name, proc)) throw new Error(`${proc} exited during startup:\n${tailLog(logFile(name, proc))}`);
}

export async function waitFor(
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
