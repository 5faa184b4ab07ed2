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
 *
 * Like the open-source control plane (no licence is ever configured), it refuses a config that turns on a
 * licensed feature (lib/vcluster/licensed-features.ts): vCluster exits with its "pro feature" error, so no
 * `vc-<release>` is written and the cluster never becomes usable.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { AppsV1Api, CoreV1Api, KubeConfig, KubernetesObjectApi, PatchStrategy, type V1Secret } from "@kubernetes/client-node";
import { parse } from "yaml";
import { isSupportedChartVersion } from "@/lib/vcluster/chart-versions";
import { licensedFeaturesIn } from "@/lib/vcluster/licensed-features";
import { binDir, repoRoot } from "../k8s/locations";
import { startEmulatorEtcd, VirtualApiServer } from "./api-server";
import { adminKubeconfig } from "./pki";
import { killStale, rssKiB, sleep } from "./processes";

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
  /** The whole config.yaml, for the licence check. */
  values: unknown;
}

/**
 * vCluster's own error when the open-source build meets a licensed setting (pkg/pro/error.go NewFeatureError), or
 * null. The chart version comes from the control plane's `chart` label (`vcluster-0.36.1`).
 */
function proFeatureRefusal(chartLabel: string | undefined, values: unknown): string | null {
  const version = chartLabel?.replace(/^vcluster-/, "");
  if (!version || !isSupportedChartVersion(version)) return null;
  const used = licensedFeaturesIn(version, values)[0];
  return used
    ? `you are trying to use a vCluster pro feature '${used.feature}' (${used.path}) that is not allowed by your current license; the control plane exits`
    : null;
}

/** What the ready control plane runs: its chart label (the chart version the licence check goes by) and image. */
interface ControlPlaneRun {
  chartLabel: string | undefined;
  image: string;
  /** The container's LICENSE variable, which the licensed build reads before any Secret. */
  licenceEnv: boolean;
}

/**
 * Where the licensed build looks for its licence after the LICENSE variable (config.go PlatformAPIKey): the Secret
 * `platform.apiKey.secretName` (default vcluster-platform-api-key) in `platform.apiKey.namespace` (default its own).
 */
function licenceSecretRef(namespace: string, values: unknown): { name: string; namespace: string } {
  const apiKey = (values as { platform?: { apiKey?: { secretName?: string; namespace?: string } } } | null)?.platform?.apiKey;
  return { name: apiKey?.secretName || "vcluster-platform-api-key", namespace: apiKey?.namespace || namespace };
}

/** The address vCluster writes into `vc-<release>` when exportKubeConfig.server is not set. */
export const IN_POD_SERVER = "https://localhost:8443";

const FIELD_MANAGER = "vcluster-emulator";
const SHARED = "vcluster-emulator-shared";

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
      const values: unknown = parse(Buffer.from(raw, "base64").toString("utf8")) ?? {};
      const config = values as {
        exportKubeConfig?: { server?: string };
        controlPlane?: { proxy?: { extraSANs?: string[] } };
      };
      const exportServer = config.exportKubeConfig?.server?.trim() || null;
      const extraSans = [...(config.controlPlane?.proxy?.extraSANs ?? [])];
      if (exportServer) extraSans.push(new URL(exportServer).hostname.replace(/^\[|\]$/g, ""));
      return { exportServer, extraSans: [...new Set(extraSans)].sort(), values };
    } catch {
      return null;
    }
  }

  /**
   * Whether a control plane holds a licence: the licensed image (`vcluster-pro`; the open-source build has no pro
   * modules to turn on) and a licence it can read, with an access key and the platform's host. The platform
   * itself cannot run here, so the key is not checked against it.
   */
  async function licensed(namespace: string, run: ControlPlaneRun, values: unknown): Promise<boolean> {
    if (!/\/vcluster-pro:/.test(run.image)) return false;
    if (run.licenceEnv) return true;
    try {
      const secret = await core.readNamespacedSecret(licenceSecretRef(namespace, values));
      return Boolean(secret.data?.accessKey && secret.data?.host);
    } catch {
      return false;
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
    // Ready control planes, each with what vCluster's licence check goes by.
    const ready = new Map<string, ControlPlaneRun>();
    for (const cp of [...statefulSets.items, ...deployments.items]) {
      const ns = cp.metadata?.namespace;
      const release = cp.metadata?.labels?.release ?? cp.metadata?.name;
      if (!ns || !release || cp.metadata?.deletionTimestamp) continue;
      if (opts.namespacePrefix && !ns.startsWith(opts.namespacePrefix)) continue;
      if ((cp.spec?.replicas ?? 1) > 0 && (cp.status?.readyReplicas ?? 0) >= 1) {
        const syncer = cp.spec?.template.spec?.containers.find((c) => c.name === "syncer") ?? cp.spec?.template.spec?.containers[0];
        ready.set(`${ns}/${release}`, { chartLabel: cp.metadata?.labels?.chart, image: syncer?.image ?? "", licenceEnv: Boolean(syncer?.env?.some((e) => e.name === "LICENSE")) });
      }
    }
    // start / serve
    await Promise.all(
      [...ready].map(async ([clusterKey, run]) => {
        const serverKey = light ? SHARED : clusterKey;
        try {
          const [namespace, release] = clusterKey.split("/") as [string, string];
          const config = await readConfig(namespace, release);
          if (!config) throw new Error(`Secret vc-config-${release} is missing or unreadable (the chart writes it; the control plane cannot start without it)`);
          const refusal = proFeatureRefusal(run.chartLabel, config.values);
          if (refusal && !(await licensed(namespace, run, config.values))) throw new Error(refusal);
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
