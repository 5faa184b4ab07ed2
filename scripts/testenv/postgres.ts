// A throw-away PostgreSQL server for tests and CI (docs/local-kubernetes.md): Debian's `postgresql` package,
// a temp data dir, a free port, fsync off, trust auth on 127.0.0.1. Started by the integration
// tier's vitest global setup and by the Playwright global setup; never used by the app itself.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";

export interface PostgresServer {
  /** Superuser connection string to the `postgres` database, e.g. postgres://postgres@127.0.0.1:54012/postgres */
  adminUrl: string;
  port: number;
  dataDir: string;
  /** Stops the server and removes its directory. Idempotent. */
  stop(): Promise<void>;
}

const DIR_PREFIX = "vcp-pg-";
const START_ATTEMPTS = 4; // a port picked as free can be taken by a parallel run before we bind it
const READY_TIMEOUT_MS = 30_000;
const STALE_AFTER_MS = 15 * 60_000;

/** Highest installed `/usr/lib/postgresql/<major>/bin`, or a clear error telling how to install it. */
export function findPostgresBin(): string {
  const root = "/usr/lib/postgresql";
  const majors = existsSync(root)
    ? readdirSync(root)
        .filter((v) => /^\d+$/.test(v) && existsSync(path.join(root, v, "bin", "postgres")))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (majors.length === 0) {
    throw new Error(
      "PostgreSQL server binaries not found (/usr/lib/postgresql/*/bin/postgres). Tests need a real PostgreSQL: " +
        "run `apt-get install -y postgresql` (.ci/run does this), then re-run the tests.",
    );
  }
  return path.join(root, majors[0]!, "bin");
}

/** A TCP port that was free on 127.0.0.1 a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

interface OsUser {
  uid: number;
  gid: number;
}

/** As root we must run postgres as the `postgres` OS user (initdb and postgres refuse root). */
function postgresOsUser(): OsUser | undefined {
  if (process.getuid?.() !== 0) return undefined;
  try {
    const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
    return { uid, gid };
  } catch {
    throw new Error("Running as root but there is no `postgres` OS user: run `apt-get install -y postgresql`.");
  }
}

/**
 * Removes data dirs left behind by runs that were killed (their postmaster is gone). Only dirs older
 * than STALE_AFTER_MS: a young dir may be another run's initdb, whose pid file comes and goes.
 */
function sweepStaleDirs(): void {
  const tmp = os.tmpdir();
  for (const entry of readdirSync(tmp)) {
    if (!entry.startsWith(DIR_PREFIX)) continue;
    const dir = path.join(tmp, entry);
    try {
      if (Date.now() - statSync(dir).mtimeMs < STALE_AFTER_MS) continue;
      if (postmasterAlive(path.join(dir, "data", "postmaster.pid"))) continue;
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // raced with its owner or another sweeper
    }
  }
}

function postmasterAlive(pidFile: string): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
  } catch {
    return false; // no pid file: the server is not running
  }
  if (!(pid > 0)) return true; // being written: assume alive
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM"; // exists, another user's
  }
}

function asUser(user: OsUser | undefined, cmd: string, args: string[]): [string, string[]] {
  if (!user) return [cmd, args];
  // setpriv execs in place (no watching parent like runuser/su), and --pdeathsig makes the server
  // die with the test process even when that is SIGKILLed, so no orphaned postgres outlives a run.
  return ["setpriv", [`--reuid=${user.uid}`, `--regid=${user.gid}`, "--init-groups", "--pdeathsig=KILL", cmd, ...args]];
}

async function waitReady(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`postgres exited (${child.exitCode ?? child.signalCode}) during start-up:\n${log()}`);
    }
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
    try {
      await client.connect();
      await client.query("select 1");
      return;
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`postgres did not accept connections within ${READY_TIMEOUT_MS} ms: ${String(err)}\n${log()}`);
    } finally {
      await client.end().catch(() => {});
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

const live = new Set<{ child: ChildProcess; dir: string }>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on("exit", () => {
    for (const s of live) {
      try {
        s.child.kill("SIGKILL");
      } catch {
        // already gone
      }
      rmSync(s.dir, { recursive: true, force: true });
    }
  });
}

/**
 * Starts a fresh PostgreSQL server. `name` only labels the temp dir (`/tmp/vcp-pg-<name>-XXXX`).
 * Stopped by `stop()`, and killed + removed when this process exits.
 */
export async function startPostgres({ name = "test" }: { name?: string } = {}): Promise<PostgresServer> {
  const bin = findPostgresBin();
  const user = postgresOsUser();
  sweepStaleDirs();

  const dir = mkdtempSync(path.join(os.tmpdir(), `${DIR_PREFIX}${name.replace(/[^a-zA-Z0-9_-]/g, "_")}-`));
  const dataDir = path.join(dir, "data");
  if (user) execFileSync("chown", [`${user.uid}:${user.gid}`, dir]);

  try {
    const [initCmd, initArgs] = asUser(user, path.join(bin, "initdb"), [
      "-D", dataDir, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync", "--no-instructions",
    ]);
    try {
      execFileSync(initCmd, initArgs, { cwd: dir, stdio: "pipe" });
    } catch (err) {
      const e = err as { stderr?: Buffer; stdout?: Buffer };
      throw new Error(`initdb failed:\n${e.stdout?.toString() ?? ""}${e.stderr?.toString() ?? String(err)}`);
    }

    let lastError: unknown;
    for (let attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
      const port = await freePort();
      const [cmd, args] = asUser(user, path.join(bin, "postgres"), [
        "-D", dataDir,
        "-p", String(port),
        "-c", "listen_addresses=127.0.0.1",
        "-c", `unix_socket_directories=${dir}`,
        "-c", "fsync=off",
        "-c", "synchronous_commit=off",
        "-c", "full_page_writes=off",
        "-c", "max_connections=200",
        "-c", "shared_buffers=64MB",
        "-c", "log_min_messages=warning",
        "-c", "timezone=UTC",
      ]);
      const child = spawn(cmd, args, { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
      let output = "";
      const collect = (b: Buffer) => {
        output = (output + b.toString()).slice(-8_000);
      };
      child.stdout!.on("data", collect);
      child.stderr!.on("data", collect);
      const entry = { child, dir };
      live.add(entry);
      installExitHook();

      const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
      try {
        await waitReady(adminUrl, child, () => output);
      } catch (err) {
        lastError = err;
        child.kill("SIGKILL");
        live.delete(entry);
        if (/could not bind|Address already in use|could not create any TCP\/IP sockets/i.test(output)) continue;
        throw err;
      }
      // Keep draining output so a chatty server never blocks on a full pipe, and let this process
      // exit without an explicit stop(): the exit hook then kills the server and removes its dir.
      for (const stream of [child.stdout!, child.stderr!]) {
        stream.removeListener("data", collect);
        stream.resume();
        (stream as unknown as { unref?: () => void }).unref?.();
      }
      child.unref();

      let stopped: Promise<void> | undefined;
      const stop = () =>
        (stopped ??= (async () => {
          if (child.exitCode === null && child.signalCode === null) {
            const exited = new Promise<void>((r) => child.once("exit", () => r()));
            child.kill("SIGQUIT"); // immediate shutdown: nothing here is worth a checkpoint
            const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
            await exited;
            clearTimeout(timer);
          }
          live.delete(entry);
          rmSync(dir, { recursive: true, force: true });
        })());
      return { adminUrl, port, dataDir, stop };
    }
    throw lastError;
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}
