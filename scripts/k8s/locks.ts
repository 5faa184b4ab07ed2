/**
 * Locks across processes (a lock file holding the owner's pid; a dead owner's lock is taken over) and
 * within one process (a promise chain per lock file, since the pid in the file cannot tell two callers of
 * one process apart).
 */
import fs from 'node:fs';
import path from 'node:path';
import { cacheDir, dataRoot } from './locations';
import { isAlive, readPid, sleep } from './processes';

const inProcessLocks = new Map<string, Promise<unknown>>();

function withLock<T>(lockFile: string, what: string, fn: () => Promise<T>, timeoutMs: number): Promise<T> {
  const prev = inProcessLocks.get(lockFile) ?? Promise.resolve();
  const next = prev.catch(() => {}).then(() => withFileLock(lockFile, what, fn, timeoutMs));
  inProcessLocks.set(lockFile, next);
  void next.finally(() => {
    if (inProcessLocks.get(lockFile) === next) inProcessLocks.delete(lockFile);
  }).catch(() => {});
  return next;
}

async function withFileLock<T>(lock: string, what: string, fn: () => Promise<T>, timeoutMs: number): Promise<T> {
  fs.mkdirSync(path.dirname(lock), { recursive: true });
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
      if (Date.now() > deadline) throw new Error(`${what} is locked by pid ${holder}`);
      await sleep(500);
    }
  }
  try {
    return await fn();
  } finally {
    if (readPid(lock) === process.pid) fs.rmSync(lock, { force: true });
  }
}

/** Serialises up/down of one instance (one checkout's data root), within this process and across processes. */
export function withInstanceLock<T>(name: string, fn: () => Promise<T>, timeoutMs = 60 * 60_000): Promise<T> {
  return withLock(path.join(dataRoot(), `.${name}.lock`), `cluster "${name}"`, fn, timeoutMs);
}

/**
 * Serialises "pick free ports, start etcd on them" across every checkout on the machine (the lock lives in
 * the shared cache), so two instances starting at once never both pick the same free ports.
 */
export function withPortLock<T>(fn: () => Promise<T>, timeoutMs = 5 * 60_000): Promise<T> {
  return withLock(path.join(path.dirname(cacheDir()), '.port-base.lock'), 'choosing local cluster ports', fn, timeoutMs);
}
