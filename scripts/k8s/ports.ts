/**
 * The TCP ports of an instance (offsets from its port base, docs/local-kubernetes.md "Ports") and who
 * holds a port: a real bind says whether it is free; /proc/net/tcp says whether someone listens there or
 * only sockets of a process that just exited linger.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { cmdlineOf, sleep } from './processes';

/** Port offsets from an instance's portBase. */
export const PORT_OFFSETS = {
  etcdClient: 0,
  etcdPeer: 1,
  apiserver: 43,
  kwok: 47,
  controllerManager: 57,
  scheduler: 59,
} as const;

export function portsFor(portBase: number) {
  return Object.fromEntries(Object.entries(PORT_OFFSETS).map(([k, v]) => [k, portBase + v])) as {
    [K in keyof typeof PORT_OFFSETS]: number;
  };
}

export function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen({ port, host: '127.0.0.1', exclusive: true }, () => srv.close(() => resolve(true)));
  });
}

/** Best-effort: which pid listens on a TCP port (reads /proc/net/tcp{,6} and /proc/<pid>/fd). */
function pidListeningOn(port: number): number | null {
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

/** Who holds a port we cannot bind, for messages: "pid 1234 python3", or the states of its sockets. */
function holderOf(port: number, pid: number | null): string {
  const exe = pid ? cmdlineOf(pid)[0] : undefined;
  return pid ? `pid ${pid}${exe ? ` ${path.basename(exe)}` : ''}` : `pid unknown; sockets: ${socketStates(port).join(', ') || 'none'}`;
}

/**
 * Waits until every port of a base can be bound. Sockets of a process that just exited (FIN_WAIT/TIME_WAIT)
 * can block a bind for a few seconds: they are waited out (≤ lingerMs); a live listener answers at once.
 * Returns null when all are free, else which port is held and by whom.
 */
export async function waitForFreePorts(portBase: number, lingerMs = 20_000): Promise<{ port: number; what: string; holder: string } | null> {
  for (const [what, port] of Object.entries(portsFor(portBase))) {
    const deadline = Date.now() + lingerMs;
    for (;;) {
      if (await portFree(port)) break;
      const pid = pidListeningOn(port);
      const listening = pid !== null || socketStates(port).includes('LISTEN');
      if (listening || Date.now() > deadline) return { port, what, holder: holderOf(port, pid) };
      await sleep(500);
    }
  }
  return null;
}

export async function assertPortsFree(portBase: number) {
  const taken = await waitForFreePorts(portBase);
  if (taken) {
    throw new Error(
      `port ${taken.port} (${taken.what}) is in use by another process (${taken.holder}); pass --port-base (portBase) to use other ports`,
    );
  }
}
