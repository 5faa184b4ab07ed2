/**
 * The real kube-apiserver (and its etcd) behind each emulated virtual cluster (TEST INFRASTRUCTURE,
 * docs/vcluster-emulator.md), with binaries from the local host cluster's cache (binDir()).
 */
import fs from "node:fs";
import http from "node:http";
import https from "node:https";
import path from "node:path";
import { binDir } from "../k8s/locations";
import { ensureVirtualPki, type VirtualPki } from "./pki";
import { freePort, Proc, sleep, tail } from "./processes";

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
