/**
 * Host-side plumbing for bench/provisioning.ts (not product code):
 *  - separate identities for the portal's own client and for helm (ServiceAccounts bound to cluster-admin),
 *    each matched by its own FlowSchema, so the host API server counts their requests apart
 *    (apiserver_flowcontrol_dispatched_requests_total{flow_schema=...});
 *  - a helm wrapper (HELM_BIN) that runs helm as the helm identity and logs every helm process;
 *  - the emulator in a child process (its CPU and API calls are the host's, not the portal's);
 *  - namespace cleanup between runs.
 * Setup and cleanup use the admin kubeconfig (group system:masters → the `exempt` FlowSchema), so they never
 * show up in the counted flows.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import https from "node:https";
import path from "node:path";
import { CoreV1Api, KubeConfig, KubernetesObjectApi, PatchStrategy, loadYaml, type KubernetesObject } from "@kubernetes/client-node";

export const BENCH_NAMESPACE = "vcp-bench";
export const FLOW_PORTAL = "vcp-bench-portal";
export const FLOW_HELM = "vcp-bench-helm";
const FIELD_MANAGER = "vcp-bench";

export function adminConfig(kubeconfig: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  return kc;
}

function manifests(): KubernetesObject[] {
  const out: object[] = [{ apiVersion: "v1", kind: "Namespace", metadata: { name: BENCH_NAMESPACE } }];
  for (const [who, flow] of [["portal", FLOW_PORTAL], ["helm", FLOW_HELM]] as const) {
    out.push(
      { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: who, namespace: BENCH_NAMESPACE } },
      {
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "ClusterRoleBinding",
        metadata: { name: flow },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "cluster-admin" },
        subjects: [{ kind: "ServiceAccount", name: who, namespace: BENCH_NAMESPACE }],
      },
      {
        // Same priority level a ServiceAccount gets by default (FlowSchema service-accounts → workload-low).
        apiVersion: "flowcontrol.apiserver.k8s.io/v1",
        kind: "FlowSchema",
        metadata: { name: flow },
        spec: {
          matchingPrecedence: 1000,
          priorityLevelConfiguration: { name: "workload-low" },
          distinguisherMethod: { type: "ByUser" },
          rules: [
            {
              subjects: [{ kind: "ServiceAccount", serviceAccount: { name: who, namespace: BENCH_NAMESPACE } }],
              resourceRules: [{ verbs: ["*"], apiGroups: ["*"], resources: ["*"], namespaces: ["*"], clusterScope: true }],
              nonResourceRules: [{ verbs: ["*"], nonResourceURLs: ["*"] }],
            },
          ],
        },
      },
    );
  }
  return out.map((o) => loadYaml<KubernetesObject>(JSON.stringify(o)));
}

function kubeconfigFor(admin: KubeConfig, user: string, token: string): string {
  const cluster = admin.getCurrentCluster();
  if (!cluster) throw new Error("admin kubeconfig has no current cluster");
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ ...cluster, name: "bench" }],
    users: [{ name: user, token }],
    contexts: [{ name: user, cluster: "bench", user }],
    currentContext: user,
  });
  return kc.exportConfig();
}

export interface BenchHost {
  /** KUBECONFIG for the portal's own client (LOCAL connection). */
  portalKubeconfig: string;
  /** HELM_BIN: wrapper running helm as the helm identity and logging each process to helmLog. */
  helmWrapper: string;
  /** One line per helm process: `<subcommand> <start s> <end s> <exit code>`. */
  helmLog: string;
}

/** Identities, FlowSchemas, kubeconfigs and the helm wrapper. Idempotent (server-side apply). */
export async function prepareHost(adminKubeconfig: string, realHelm: string, workDir: string): Promise<BenchHost> {
  const admin = adminConfig(adminKubeconfig);
  const objects = KubernetesObjectApi.makeApiClient(admin);
  for (const o of manifests()) await objects.patch(o, undefined, undefined, FIELD_MANAGER, true, PatchStrategy.ServerSideApply);
  const core = admin.makeApiClient(CoreV1Api);
  const token = async (name: string) => {
    const tr = await core.createNamespacedServiceAccountToken({ name, namespace: BENCH_NAMESPACE, body: { spec: { audiences: [], expirationSeconds: 3 * 3600 } } });
    if (!tr.status?.token) throw new Error(`no token for ServiceAccount ${BENCH_NAMESPACE}/${name}`);
    return tr.status.token;
  };
  fs.mkdirSync(workDir, { recursive: true });
  const portalKubeconfig = path.join(workDir, "portal.kubeconfig");
  const helmKubeconfig = path.join(workDir, "helm.kubeconfig");
  fs.writeFileSync(portalKubeconfig, kubeconfigFor(admin, "portal", await token("portal")), { mode: 0o600 });
  fs.writeFileSync(helmKubeconfig, kubeconfigFor(admin, "helm", await token("helm")), { mode: 0o600 });

  const helmLog = path.join(workDir, "helm.log");
  const helmWrapper = path.join(workDir, "helm");
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  // bash's EPOCHREALTIME: no extra processes for timing. Swaps --kubeconfig for the helm identity's.
  fs.writeFileSync(
    helmWrapper,
    `#!/usr/bin/env bash
args=()
while [ $# -gt 0 ]; do
  if [ "$1" = "--kubeconfig" ]; then args+=("--kubeconfig" ${q(helmKubeconfig)}); shift 2; continue; fi
  args+=("$1"); shift
done
start=$EPOCHREALTIME
${q(realHelm)} "\${args[@]}"
rc=$?
echo "\${args[0]} $start $EPOCHREALTIME $rc" >> ${q(helmLog)}
exit $rc
`,
    { mode: 0o755 },
  );
  return { portalKubeconfig, helmWrapper, helmLog };
}

export type HelmProcess = { cmd: string; start: number; end: number; rc: number };

export function readHelmLog(file: string): HelmProcess[] {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => {
      const [cmd, start, end, rc] = l.split(" ");
      return { cmd: cmd ?? "?", start: Number(start) * 1000, end: Number(end) * 1000, rc: Number(rc) };
    });
}

// ───────────────────────────── host API server metrics ─────────────────────────────

export type FlowCounts = { requests: number; executionSeconds: number };
export type ServerCounts = Record<typeof FLOW_PORTAL | typeof FLOW_HELM, FlowCounts>;

async function getRaw(kc: KubeConfig, urlPath: string): Promise<string> {
  const server = kc.getCurrentCluster()!.server;
  const opts: https.RequestOptions = {};
  await kc.applyToHTTPSOptions(opts);
  return new Promise((resolve, reject) => {
    const req = https.request(new URL(urlPath, server), { ...opts, method: "GET", timeout: 15_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => (res.statusCode === 200 ? resolve(Buffer.concat(chunks).toString()) : reject(new Error(`GET ${urlPath}: ${res.statusCode}`))));
    });
    req.on("timeout", () => req.destroy(new Error(`GET ${urlPath}: timeout`)));
    req.on("error", reject);
    req.end();
  });
}

/** Requests the host API server dispatched for the portal's and helm's FlowSchemas (cumulative). */
export async function serverCounts(kc: KubeConfig): Promise<ServerCounts> {
  const text = await getRaw(kc, "/metrics");
  const out: ServerCounts = { [FLOW_PORTAL]: { requests: 0, executionSeconds: 0 }, [FLOW_HELM]: { requests: 0, executionSeconds: 0 } };
  for (const line of text.split("\n")) {
    const m = /^(apiserver_flowcontrol_dispatched_requests_total|apiserver_flowcontrol_request_execution_seconds_sum)\{([^}]*)\} (\S+)$/.exec(line);
    if (!m) continue;
    const flow = /flow_schema="([^"]+)"/.exec(m[2]!)?.[1];
    if (flow !== FLOW_PORTAL && flow !== FLOW_HELM) continue;
    if (m[1] === "apiserver_flowcontrol_dispatched_requests_total") out[flow].requests += Number(m[3]);
    else out[flow].executionSeconds += Number(m[3]);
  }
  return out;
}

export function diffCounts(after: ServerCounts, before: ServerCounts): ServerCounts {
  const d = (f: keyof ServerCounts) => ({ requests: after[f].requests - before[f].requests, executionSeconds: after[f].executionSeconds - before[f].executionSeconds });
  return { [FLOW_PORTAL]: d(FLOW_PORTAL), [FLOW_HELM]: d(FLOW_HELM) };
}

// ───────────────────────────── cleanup ─────────────────────────────

/** Deletes the namespaces carrying `labelSelector` and waits until they are gone. Returns seconds taken, or null on timeout. */
export async function deleteNamespaces(kc: KubeConfig, labelSelector: string, timeoutMs: number): Promise<{ seconds: number | null; count: number }> {
  const core = kc.makeApiClient(CoreV1Api);
  const t0 = Date.now();
  const list = await core.listNamespace({ labelSelector });
  for (const ns of list.items) await core.deleteNamespace({ name: ns.metadata!.name! }).catch(() => {});
  while (Date.now() - t0 < timeoutMs) {
    if ((await core.listNamespace({ labelSelector })).items.length === 0) return { seconds: (Date.now() - t0) / 1000, count: list.items.length };
    await new Promise((r) => setTimeout(r, 1000));
  }
  return { seconds: null, count: list.items.length };
}

// ───────────────────────────── emulator in a child process ─────────────────────────────

export interface EmulatorProcess {
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Runs bench/provisioning-emulator.ts (startEmulator, light mode) in its own Node process; resolves once it serves. */
export async function startEmulatorProcess(hostKubeconfig: string, pollMs: number, logFile: string): Promise<EmulatorProcess> {
  const entry = path.join(import.meta.dirname, "provisioning-emulator.ts");
  const out = fs.openSync(logFile, "a");
  const cmd = fs.existsSync("/usr/bin/setpriv") ? "/usr/bin/setpriv" : process.execPath;
  const args = [...(cmd === process.execPath ? [] : ["--pdeathsig=TERM", process.execPath]), "--import", "tsx", entry, hostKubeconfig, String(pollMs)];
  const child = spawn(cmd, args, { stdio: ["ignore", "pipe", out] });
  fs.closeSync(out);
  await new Promise<void>((resolve, reject) => {
    let buf = "";
    const timer = setTimeout(() => reject(new Error(`emulator did not start within 60 s (see ${logFile})`)), 60_000);
    child.stdout!.on("data", (b: Buffer) => {
      buf += b.toString();
      if (buf.includes("EMULATOR-READY")) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`emulator exited (${code}) during start-up (see ${logFile})`));
    });
  });
  child.stdout!.resume();
  return {
    child,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((r) => child.once("exit", () => r()));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

// ───────────────────────────── CPU accounting (/proc) ─────────────────────────────

const CLK_TCK = 100; // Linux USER_HZ

function statFields(pid: number | "self"): string[] | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" "); // [0] = field 3 (state)
  } catch {
    return null;
  }
}

/** utime + stime (+ its waited-for children's) of one live process, in seconds (0 when gone). */
function processCpu(pid: number): number {
  const f = statFields(pid);
  return f ? (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) / CLK_TCK : 0;
}

/** The pid and all its live descendants. */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const f = statFields(Number(entry));
    if (!f) continue;
    const ppid = Number(f[1]);
    const list = children.get(ppid);
    if (list) list.push(Number(entry));
    else children.set(ppid, [Number(entry)]);
  }
  const out: number[] = [];
  const stack = [root];
  while (stack.length) {
    const p = stack.pop()!;
    out.push(p);
    stack.push(...(children.get(p) ?? []));
  }
  return out;
}

/** Pids whose command line mentions `needle` (e.g. a data directory), optionally only of the given binaries. */
export function pidsMentioning(needle: string, binaries?: readonly string[]): number[] {
  const out: number[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmd = fs.readFileSync(`/proc/${entry}/cmdline`, "utf8");
      if (!cmd.includes(needle)) continue;
      if (binaries && !binaries.includes(path.basename(cmd.split("\0")[0] ?? ""))) continue;
      out.push(Number(entry));
    } catch {
      /* gone */
    }
  }
  return out;
}

export type CpuGroups = Record<string, () => number[]>;
export type CpuSample = { machineBusy: number; machineTotal: number; self: number; waitedChildren: number; groups: Record<string, number> };

/** Cumulative CPU seconds: the whole machine (/proc/stat), this process, its waited-for children (helm), and pid groups. */
export function sampleCpu(groups: CpuGroups): CpuSample {
  const line = fs.readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
  const [user, nice, system, idle, iowait, irq, softirq, steal] = line as [number, number, number, number, number, number, number, number];
  const total = user + nice + system + idle + iowait + irq + softirq + steal;
  const self = statFields("self")!;
  const out: CpuSample = {
    machineBusy: (total - idle - iowait) / CLK_TCK,
    machineTotal: total / CLK_TCK,
    self: (Number(self[11]) + Number(self[12])) / CLK_TCK,
    waitedChildren: (Number(self[13]) + Number(self[14])) / CLK_TCK,
    groups: {},
  };
  for (const [name, pids] of Object.entries(groups)) out.groups[name] = pids().reduce((a, p) => a + processCpu(p), 0);
  return out;
}

export function diffCpu(after: CpuSample, before: CpuSample): CpuSample {
  const groups: Record<string, number> = {};
  for (const k of Object.keys(after.groups)) groups[k] = (after.groups[k] ?? 0) - (before.groups[k] ?? 0);
  return {
    machineBusy: after.machineBusy - before.machineBusy,
    machineTotal: after.machineTotal - before.machineTotal,
    self: after.self - before.self,
    waitedChildren: after.waitedChildren - before.waitedChildren,
    groups,
  };
}
