// Long-running child processes for test environments (the Next.js app, the worker): each in its own
// process group (so stopping it also stops what it spawned), output to a log file, killed on exit.
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";

export interface Service {
  name: string;
  logFile: string;
  child: ChildProcess;
  /** SIGTERM to the group, SIGKILL after `graceMs`. Idempotent. */
  stop(graceMs?: number): Promise<void>;
  /** The last lines of its log. */
  tail(lines?: number): string;
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // already gone
  }
}

export function startService(name: string, cmd: string, args: string[], opts: { cwd: string; env: Record<string, string | undefined>; logDir: string }): Service {
  mkdirSync(opts.logDir, { recursive: true });
  const logFile = path.join(opts.logDir, `${name}.log`);
  const log = createWriteStream(logFile, { flags: "a" });
  // setpriv --pdeathsig: the service dies with us even if we are SIGKILLed (no orphan on a busy port).
  const [c, a]: [string, string[]] = existsSync("/usr/bin/setpriv") ? ["/usr/bin/setpriv", ["--pdeathsig=TERM", cmd, ...args]] : [cmd, args];
  const child = spawn(c, a, { cwd: opts.cwd, env: opts.env as NodeJS.ProcessEnv, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout!.pipe(log, { end: false });
  child.stderr!.pipe(log, { end: false });
  running.add(child);
  child.once("exit", () => running.delete(child));
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on("exit", () => {
      for (const c of running) killGroup(c, "SIGKILL");
    });
  }

  let stopped: Promise<void> | undefined;
  return {
    name,
    logFile,
    child,
    stop: (graceMs = 10_000) =>
      (stopped ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) {
          const exited = new Promise<void>((r) => child.once("exit", () => r()));
          killGroup(child, "SIGTERM");
          const timer = setTimeout(() => killGroup(child, "SIGKILL"), graceMs);
          await exited;
          clearTimeout(timer);
        }
        killGroup(child, "SIGKILL"); // stragglers in the group
        running.delete(child);
        log.end();
      })()),
    tail: (lines = 40) => {
      try {
        return readFileSync(logFile, "utf8").split("\n").slice(-lines).join("\n");
      } catch {
        return "";
      }
    },
  };
}

/** Polls `url` until it answers with a status accepted by `ok`; fails early if the service exits. */
export async function waitForHttp(url: string, service: Service, { timeoutMs = 180_000, ok = (s: number) => s < 500 } = {}): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "no answer yet";
  for (;;) {
    if (service.child.exitCode !== null || service.child.signalCode !== null) {
      throw new Error(`${service.name} exited (${service.child.exitCode ?? service.child.signalCode}) before ${url} answered; log ${service.logFile}:\n${service.tail()}`);
    }
    try {
      const res = await fetch(url, { redirect: "manual", signal: AbortSignal.timeout(60_000) });
      await res.arrayBuffer();
      if (ok(res.status)) return;
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = String((err as Error).cause ?? err);
    }
    if (Date.now() > deadline) throw new Error(`${url} not ready after ${timeoutMs / 1000}s (${last}); log ${service.logFile}:\n${service.tail()}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}
