/**
 * Processes of the vcluster emulator (TEST INFRASTRUCTURE, docs/vcluster-emulator.md): child processes it
 * starts and stops, free ports for them, and what an earlier, crashed run left behind.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `preferred` when it is free (a restart keeps its address), else any free port. */
export async function freePort(preferred?: number): Promise<number> {
  const tryListen = (port: number) =>
    new Promise<number | null>((resolve) => {
      const srv = net.createServer();
      srv.once("error", () => resolve(null));
      srv.listen({ port, host: "127.0.0.1", exclusive: true }, () => {
        const p = (srv.address() as net.AddressInfo).port;
        srv.close(() => resolve(p));
      });
    });
  if (preferred) {
    const p = await tryListen(preferred);
    if (p) return p;
  }
  const p = await tryListen(0);
  if (!p) throw new Error("no free port");
  return p;
}

export function rssKiB(pid: number): number | null {
  try {
    const m = /VmRSS:\s+(\d+)\s+kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/** Kills processes left over by an earlier emulator that used the same state dir (crash, killed test run). */
export function killStale(stateDir: string, log: (l: string) => void): void {
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    let cmd: string[] = [];
    try {
      cmd = fs.readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0").filter(Boolean);
    } catch {
      continue;
    }
    const bin = path.basename(cmd[0] ?? "");
    if ((bin === "kube-apiserver" || bin === "etcd") && cmd.some((a) => a.includes(stateDir + path.sep))) {
      log(`killing leftover ${bin} (pid ${entry})`);
      try {
        process.kill(Number(entry), "SIGKILL");
      } catch {
        /* gone */
      }
    }
  }
}

export class Proc {
  child: ChildProcess;
  exited = false;
  constructor(
    readonly name: string,
    bin: string,
    args: string[],
    logFile: string,
    env: Record<string, string> = {},
  ) {
    const out = fs.openSync(logFile, "a");
    this.child = spawn(bin, args, { stdio: ["ignore", out, out], env: { ...process.env, ...env } });
    fs.closeSync(out);
    this.child.on("exit", () => (this.exited = true));
  }
  get pid(): number {
    return this.child.pid ?? -1;
  }
  async stop(): Promise<void> {
    if (this.exited) return;
    this.child.kill("SIGTERM");
    for (let i = 0; i < 100 && !this.exited; i++) await sleep(100);
    if (!this.exited) this.child.kill("SIGKILL");
    for (let i = 0; i < 50 && !this.exited; i++) await sleep(100);
  }
}

export function tail(file: string, n = 15): string {
  try {
    return fs.readFileSync(file, "utf8").trim().split("\n").slice(-n).join("\n");
  } catch {
    return "";
  }
}
