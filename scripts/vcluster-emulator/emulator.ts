/**
 * vcluster emulator — TEST INFRASTRUCTURE, never imported by lib/ or app/.
 *
 * Plays the part of the vcluster control plane that kwok cannot: for every control plane the real chart
 * rendered (StatefulSet or Deployment labelled app=vcluster) that is ready, it reads the vCluster config the
 * chart wrote (Secret `vc-config-<release>`, key config.yaml), starts a REAL, separate kube-apiserver (own CA
 * and certificates naming the exported host, own etcd prefix `/vc-<ns>-<release>` on an etcd of its own,
 * free port) and writes the Secret `vc-<release>` (keys config, certificate-authority, client-certificate,
 * client-key) as vCluster does: its kubeconfig names `exportKubeConfig.server`, else `https://localhost:8443`
 * — the address inside the control-plane pod, which does not work from outside, for a user or a test.
 * `route()` is the ingress a real host would need: where the exported address actually leads. When the
 * control plane is scaled to 0 or deleted, the API server stops (its data stays in etcd).
 *
 * Light mode: ONE shared kube-apiserver for all virtual clusters ("vcluster-emulator-shared"); each Secret
 * points at it. Cheap, but the virtual clusters are NOT isolated from each other — use it for UI/load work,
 * never to test isolation.
 *
 * Only an API server runs per virtual cluster: no controller-manager, scheduler or syncer.
 */
import { spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import https from "node:https";
import net from "node:net";
import path from "node:path";
import { AppsV1Api, CoreV1Api, KubeConfig, KubernetesObjectApi, PatchStrategy, type V1Secret } from "@kubernetes/client-node";
import { parse } from "yaml";
import { binDir, repoRoot } from "../k8s/cluster";
import { adminKubeconfig, ensureVirtualPki, type VirtualPki } from "./pki";

export interface EmulatorOptions {
  hostKubeconfig: string;
  /** One shared API server for all virtual clusters (not isolated). */
  light?: boolean;
  /** Where etcd data, certificates and logs go; default <repo>/.data/vcluster-emulator/<id>. */
  stateDir?: string;
  /** Keep the state dir on stop (default: removed, so every start is fresh). */
  keepState?: boolean;
  /**
   * Only serve StatefulSets in namespaces starting with this prefix (e.g. "vc-it1234-"), so several emulators
   * (parallel test files) can share one host without fighting over the same Secrets. Default: all namespaces.
   */
  namespacePrefix?: string;
  pollMs?: number;
  log?: (line: string) => void;
  /**
   * For `npm start` only: a cluster that exports no server gets its real loopback address in `vc-<release>`
   * (what `vcluster connect` would give), since a local host has no ingress. Tests leave it off.
   */
  localRoute?: boolean;
  /** Extra kube-apiserver flags / environment (experiments, see measure.ts). */
  apiServerArgs?: string[];
  apiServerEnv?: Record<string, string>;
}

export interface ServerInfo {
  /** "<namespace>/<release>", or "vcluster-emulator-shared" in light mode. */
  name: string;
  server: string;
  pid: number;
  rssKiB: number | null;
  /** Virtual clusters served ("<namespace>/<release>"). */
  clusters: string[];
}

export interface Emulator {
  stop(): Promise<void>;
  servers(): ServerInfo[];
  stateDir: string;
  /** Resolves once a reconcile pass has seen this state (for tests). */
  settled(): Promise<void>;
  /** The address that really serves `<namespace>/<release>` (the host's ingress for its exported server), or null. */
  route(namespace: string, release: string): string | null;
}

/** What the real control plane would read from its config Secret `vc-config-<release>`. */
interface VclusterConfig {
  exportServer: string | null;
  extraSans: string[];
}

/** The address vCluster writes into `vc-<release>` when exportKubeConfig.server is not set. */
export const IN_POD_SERVER = "https://localhost:8443";

const FIELD_MANAGER = "vcluster-emulator";
const SHARED = "vcluster-emulator-shared";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function freePort(preferred?: number): Promise<number> {
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
function killStale(stateDir: string, log: (l: string) => void): void {
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

function tail(file: string, n = 15): string {
  try {
    return fs.readFileSync(file, "utf8").trim().split("\n").slice(-n).join("\n");
  } catch {
    return "";
  }
}

function httpsGet(url: string, pki: VirtualPki): Promise<number> {
  return new Promise((resolve) => {
    const req = https.get(
      url,
      { ca: fs.readFileSync(pki.caCrt), cert: fs.readFileSync(pki.adminCrt), key: fs.readFileSync(pki.adminKey), timeout: 3000 },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on("error", () => resolve(0));
    req.on("timeout", () => req.destroy());
  });
}

/** Go GC tuned for a small heap: ~35 MiB less RSS per API server than Go's defaults (docs/vcluster-emulator.md). */
export const DEFAULT_API_SERVER_ENV: Record<string, string> = { GOGC: "50", GOMEMLIMIT: "200MiB" };

/** Starts the emulator's own etcd (data in <stateDir>/etcd) and waits for it to be healthy. */
export async function startEmulatorEtcd(stateDir: string): Promise<{ etcd: Proc; etcdUrl: string }> {
  const clientPort = await freePort();
  const peerPort = await freePort();
  const etcdUrl = `http://127.0.0.1:${clientPort}`;
  const etcd = new Proc("etcd", path.join(binDir(), "etcd"), [
    "--name=vcluster-emulator",
    `--data-dir=${path.join(stateDir, "etcd")}`,
    `--listen-client-urls=${etcdUrl}`,
    `--advertise-client-urls=${etcdUrl}`,
    `--listen-peer-urls=http://127.0.0.1:${peerPort}`,
    `--initial-advertise-peer-urls=http://127.0.0.1:${peerPort}`,
    `--initial-cluster=vcluster-emulator=http://127.0.0.1:${peerPort}`,
    "--unsafe-no-fsync",
    "--log-level=warn",
  ], path.join(stateDir, "etcd.log"));
  for (let i = 0; ; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      http.get(`${etcdUrl}/health`, (res) => {
        let body = "";
        res.on("data", (d: Buffer) => (body += d.toString()));
        res.on("end", () => resolve(res.statusCode === 200 && body.includes('"true"')));
      }).on("error", () => resolve(false));
    });
    if (ok) return { etcd, etcdUrl };
    if (etcd.exited || i > 150) throw new Error(`emulator etcd did not start:\n${tail(path.join(stateDir, "etcd.log"))}`);
    await sleep(200);
  }
}

/** One real kube-apiserver serving one virtual cluster (or all of them, in light mode). */
export class VirtualApiServer {
  proc: Proc | null = null;
  port = 0;
  readonly pki: VirtualPki;
  constructor(
    readonly name: string,
    readonly dir: string,
    readonly etcdUrl: string,
    readonly etcdPrefix: string,
    readonly extraArgs: string[] = [],
    readonly extraEnv: Record<string, string> = DEFAULT_API_SERVER_ENV,
    extraSans: string[] = [],
  ) {
    this.pki = ensureVirtualPki(path.join(dir, "pki"), name.replace(/[^a-z0-9-]/gi, "-"), extraSans);
  }

  /** Re-issues the serving certificate when the names it must carry change (the API server reloads it). */
  useSans(extraSans: string[]): void {
    ensureVirtualPki(path.join(this.dir, "pki"), this.name.replace(/[^a-z0-9-]/gi, "-"), extraSans);
  }

  get server(): string {
    return `https://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const portFile = path.join(this.dir, "port");
    const previous = fs.existsSync(portFile) ? Number(fs.readFileSync(portFile, "utf8")) : undefined;
    this.port = await freePort(previous);
    fs.writeFileSync(portFile, String(this.port));
    const logFile = path.join(this.dir, "kube-apiserver.log");
    this.proc = new Proc(this.name, path.join(binDir(), "kube-apiserver"), [
      `--etcd-servers=${this.etcdUrl}`,
      `--etcd-prefix=${this.etcdPrefix}`,
      `--secure-port=${this.port}`,
      "--bind-address=127.0.0.1",
      "--advertise-address=127.0.0.1",
      `--cert-dir=${path.join(this.dir, "certs")}`,
      `--tls-cert-file=${this.pki.serverCrt}`,
      `--tls-private-key-file=${this.pki.serverKey}`,
      `--client-ca-file=${this.pki.caCrt}`,
      "--authorization-mode=RBAC",
      "--anonymous-auth=false",
      "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
      `--service-account-key-file=${this.pki.saPub}`,
      `--service-account-signing-key-file=${this.pki.saKey}`,
      "--service-cluster-ip-range=10.96.0.0/16",
      "--endpoint-reconciler-type=none",
      // Lean: a virtual cluster's API server here serves a handful of clients.
      "--enable-priority-and-fairness=false",
      "--profiling=false",
      "--storage-backend=etcd3",
      "--v=0",
      ...this.extraArgs,
    ], logFile, this.extraEnv);
    const deadline = Date.now() + 90_000;
    while (Date.now() < deadline) {
      if (this.proc.exited) throw new Error(`kube-apiserver for ${this.name} exited:\n${tail(logFile)}`);
      if ((await httpsGet(`${this.server}/readyz`, this.pki)) === 200) return;
      await sleep(300);
    }
    await this.proc.stop();
    throw new Error(`kube-apiserver for ${this.name} did not become ready in 90s:\n${tail(logFile)}`);
  }

  async stop(): Promise<void> {
    await this.proc?.stop();
    this.proc = null;
  }
}

export async function startEmulator(opts: EmulatorOptions): Promise<Emulator> {
  const log = opts.log ?? ((l: string) => console.error(`[vcluster-emulator] ${l}`));
  const light = Boolean(opts.light);
  const id = crypto.createHash("sha256").update(`${path.resolve(opts.hostKubeconfig)}|${light}|${opts.namespacePrefix ?? ""}`).digest("hex").slice(0, 10);
  const stateDir = opts.stateDir ?? path.join(repoRoot, ".data", "vcluster-emulator", id);
  killStale(stateDir, log);
  if (!opts.keepState) fs.rmSync(stateDir, { recursive: true, force: true });
  fs.mkdirSync(stateDir, { recursive: true });
  for (const b of ["etcd", "kube-apiserver"]) {
    if (!fs.existsSync(path.join(binDir(), b))) throw new Error(`${b} not found in ${binDir()} (run npm run k8s:up once to build the binaries)`);
  }

  // etcd of our own: every virtual API server gets its own key prefix in it.
  const { etcd, etcdUrl } = await startEmulatorEtcd(stateDir);

  const kc = new KubeConfig();
  kc.loadFromFile(opts.hostKubeconfig);
  const apps = kc.makeApiClient(AppsV1Api);
  const core = kc.makeApiClient(CoreV1Api);
  const objects = KubernetesObjectApi.makeApiClient(kc);

  const servers = new Map<string, VirtualApiServer>(); // key: ns/release, or SHARED
  const starting = new Map<string, Promise<void>>();
  const served = new Map<string, string>(); // ns/release -> server key whose Secret was written
  const routes = new Map<string, string>(); // ns/release -> the address that really serves it
  let stopped = false;
  let settledWaiters: (() => void)[] = [];

  function serverFor(key: string, extraSans: string[]): VirtualApiServer {
    let s = servers.get(key);
    if (!s) {
      const [ns, release] = key === SHARED ? ["shared", "shared"] : key.split("/");
      const dir = path.join(stateDir, "servers", key === SHARED ? SHARED : `${ns}__${release}`);
      fs.mkdirSync(dir, { recursive: true });
      s = new VirtualApiServer(key, dir, etcdUrl, key === SHARED ? `/${SHARED}` : `/vc-${ns}-${release}`, opts.apiServerArgs, opts.apiServerEnv, extraSans);
      servers.set(key, s);
    } else if (key !== SHARED) s.useSans(extraSans);
    return s;
  }

  /** The chart's `vc-config-<release>` Secret, read as the control plane reads it; null when absent or unreadable. */
  async function readConfig(namespace: string, release: string): Promise<VclusterConfig | null> {
    try {
      const secret = await core.readNamespacedSecret({ name: `vc-config-${release}`, namespace });
      const raw = secret.data?.["config.yaml"];
      if (!raw) return null;
      const config = (parse(Buffer.from(raw, "base64").toString("utf8")) ?? {}) as {
        exportKubeConfig?: { server?: string };
        controlPlane?: { proxy?: { extraSANs?: string[] } };
      };
      const exportServer = config.exportKubeConfig?.server?.trim() || null;
      const extraSans = [...(config.controlPlane?.proxy?.extraSANs ?? [])];
      if (exportServer) extraSans.push(new URL(exportServer).hostname.replace(/^\[|\]$/g, ""));
      return { exportServer, extraSans: [...new Set(extraSans)].sort() };
    } catch {
      return null;
    }
  }

  /** The server `vc-<release>` names: as vCluster writes it (light mode and localRoute: the real address). */
  function exportedServer(config: VclusterConfig, s: VirtualApiServer): string {
    if (light) return s.server;
    return config.exportServer ?? (opts.localRoute ? s.server : IN_POD_SERVER);
  }

  async function writeSecret(clusterKey: string, s: VirtualApiServer, server: string): Promise<void> {
    const [namespace, release] = clusterKey.split("/") as [string, string];
    const b64 = (v: string | Buffer) => Buffer.from(v).toString("base64");
    const secret: V1Secret = {
      apiVersion: "v1",
      kind: "Secret",
      metadata: {
        name: `vc-${release}`,
        namespace,
        labels: { app: "vcluster", release, "vcluster-portal.dev/emulated": "true" },
        annotations: {
          "vcluster-portal.dev/emulator-mode": light ? "light: shared API server, NOT isolated" : "dedicated API server",
          "vcluster-portal.dev/emulator-server": s.name,
        },
      },
      type: "Opaque",
      data: {
        config: b64(adminKubeconfig(s.pki, server, `vcluster_${release}_${namespace}`)),
        "certificate-authority": b64(fs.readFileSync(s.pki.caCrt)),
        "client-certificate": b64(fs.readFileSync(s.pki.adminCrt)),
        "client-key": b64(fs.readFileSync(s.pki.adminKey)),
      },
    };
    await objects.patch(secret, undefined, undefined, FIELD_MANAGER, true, PatchStrategy.ServerSideApply);
  }

  function ensureRunning(serverKey: string, extraSans: string[]): Promise<void> {
    const s = serverFor(serverKey, extraSans);
    if (s.proc && !s.proc.exited) return Promise.resolve();
    let p = starting.get(serverKey);
    if (!p) {
      const t0 = Date.now();
      p = s
        .start()
        .then(() => log(`started kube-apiserver for ${serverKey} on ${s.server} in ${((Date.now() - t0) / 1000).toFixed(1)}s (pid ${s.proc?.pid})`))
        .finally(() => starting.delete(serverKey));
      starting.set(serverKey, p);
    }
    return p;
  }

  async function reconcile(): Promise<void> {
    const [statefulSets, deployments] = await Promise.all([
      apps.listStatefulSetForAllNamespaces({ labelSelector: "app=vcluster" }),
      apps.listDeploymentForAllNamespaces({ labelSelector: "app=vcluster" }),
    ]);
    const ready = new Set<string>();
    for (const cp of [...statefulSets.items, ...deployments.items]) {
      const ns = cp.metadata?.namespace;
      const release = cp.metadata?.labels?.release ?? cp.metadata?.name;
      if (!ns || !release || cp.metadata?.deletionTimestamp) continue;
      if (opts.namespacePrefix && !ns.startsWith(opts.namespacePrefix)) continue;
      if ((cp.spec?.replicas ?? 1) > 0 && (cp.status?.readyReplicas ?? 0) >= 1) ready.add(`${ns}/${release}`);
    }
    // start / serve
    await Promise.all(
      [...ready].map(async (clusterKey) => {
        const serverKey = light ? SHARED : clusterKey;
        try {
          const [namespace, release] = clusterKey.split("/") as [string, string];
          const config = await readConfig(namespace, release);
          if (!config) throw new Error(`Secret vc-config-${release} is missing or unreadable (the chart writes it; the control plane cannot start without it)`);
          await ensureRunning(serverKey, light ? [] : config.extraSans);
          const s = servers.get(serverKey)!;
          const server = exportedServer(config, s);
          routes.set(clusterKey, s.server);
          const stamp = `${serverKey}@${s.proc?.pid}@${server}`;
          if (served.get(clusterKey) !== stamp) {
            await writeSecret(clusterKey, s, server);
            served.set(clusterKey, stamp);
            log(`wrote Secret ${clusterKey.replace("/", "/vc-")} naming ${server} (served at ${s.server})`);
          }
        } catch (e) {
          log(`cannot serve ${clusterKey}: ${(e as Error).message}`);
        }
      }),
    );
    // stop
    for (const clusterKey of [...served.keys()]) if (!ready.has(clusterKey)) served.delete(clusterKey);
    for (const clusterKey of [...routes.keys()]) if (!ready.has(clusterKey)) routes.delete(clusterKey);
    for (const [key, s] of servers) {
      const needed = key === SHARED ? ready.size > 0 : ready.has(key);
      if (!needed && s.proc && !starting.has(key)) {
        await s.stop();
        log(`stopped kube-apiserver for ${key} (scaled to 0 or deleted)`);
      }
    }
  }

  const loop = (async () => {
    while (!stopped) {
      try {
        await reconcile();
      } catch (e) {
        log(`reconcile failed: ${(e as Error).message.split("\n")[0]}`);
      }
      const waiters = settledWaiters;
      settledWaiters = [];
      waiters.forEach((w) => w());
      await sleep(opts.pollMs ?? 1000);
    }
  })();

  log(`running (${light ? "light: one shared API server" : "one API server per virtual cluster"}), state in ${stateDir}`);

  return {
    stateDir,
    route: (namespace, release) => routes.get(`${namespace}/${release}`) ?? null,
    servers: () =>
      [...servers.values()]
        .filter((s) => s.proc && !s.proc.exited)
        .map((s) => ({
          name: s.name,
          server: s.server,
          pid: s.proc!.pid,
          rssKiB: rssKiB(s.proc!.pid),
          clusters: [...served.entries()].filter(([, stamp]) => stamp.startsWith(`${s.name}@`)).map(([k]) => k),
        })),
    settled: () =>
      new Promise<void>((resolve) => {
        // wait for a full pass that starts after this call
        let passes = 0;
        const again = () => (++passes >= 2 ? resolve() : settledWaiters.push(again));
        settledWaiters.push(again);
      }),
    stop: async () => {
      stopped = true;
      await loop.catch(() => {});
      await Promise.allSettled([...starting.values()]);
      await Promise.all([...servers.values()].map((s) => s.stop()));
      await etcd.stop();
      if (!opts.keepState) fs.rmSync(stateDir, { recursive: true, force: true });
      log("stopped");
    },
  };
}
