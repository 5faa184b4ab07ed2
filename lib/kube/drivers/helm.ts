import { execFile } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { env } from "@/lib/env";
import type { KubeClient } from "../client";
import type { ChartRef, ClusterSpec } from "../cluster-spec";
import { buildVclusterValues } from "../host-objects";
import type { DriverStatus, InstallOptions, ProvisioningDriver } from "./types";

// Runs the helm CLI: `helm upgrade --install <release> <chart> --repo <repo> --version <v> --values <file>
// --namespace <ns> --kubeconfig <file> --timeout <t> --wait=false`. Idempotent: upgrade --install of the same
// values is a no-op revision; a release left `pending-*` by a crash is repaired before retrying, once nobody
// else can be working on it (InstallOptions.releaseAbandoned). When the client carries a signal (a reconcile
// step's) the helm process is terminated the moment it aborts (SIGTERM, SIGKILL 5 s later).

/** How long helm gets to exit after SIGTERM before it is killed. */
const HELM_KILL_GRACE_MS = 5_000;

export class HelmError extends Error {
  constructor(
    message: string,
    readonly exitCode: number | null,
    readonly command: string,
  ) {
    super(message);
    this.name = "HelmError";
  }
}

export interface HelmOptions {
  /** Defaults to env HELM_BIN ("helm"). */
  helmBin?: string;
  /** Defaults to env HELM_TIMEOUT_SECONDS. */
  timeoutSeconds?: number;
  /** Base directory for relative local chart paths; defaults to the working directory. */
  chartBaseDir?: string;
}

interface HelmStatusJson {
  name: string;
  namespace: string;
  version: number;
  info?: { status?: string; description?: string; last_deployed?: string; notes?: string };
}

/** Makes helm's stderr readable: drops "Error: " prefixes and debug noise, keeps the substance. */
export function readableHelmError(stderr: string): string {
  const lines = stderr
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !/^(WARNING: Kubernetes configuration file is (group|world)-readable|walk\.go|install\.go|upgrade\.go|client\.go)/.test(l));
  const text = lines.map((l) => l.replace(/^Error:\s*/, "")).join("; ");
  return (text || "helm failed without output").slice(0, 1000);
}

/** A chart repo that is a path on disk (e.g. a checkout of `loft-sh/vcluster/chart`) rather than a Helm repository URL. */
export function isLocalChart(repo: string, baseDir = process.cwd()): boolean {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(repo)) return false;
  if (repo.startsWith("/") || repo.startsWith("./") || repo.startsWith("../")) return true;
  // scheme-less: a directory relative to the base, else a repository host
  const dir = path.resolve(baseDir, repo);
  return existsSync(dir) && statSync(dir).isDirectory();
}

/** The chart argument and repository flags for `helm upgrade --install`. */
export function chartArgs(chart: ChartRef, baseDir = process.cwd()): string[] {
  if (isLocalChart(chart.repo, baseDir)) {
    const dir = path.resolve(baseDir, chart.repo);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new HelmError(`local chart directory ${dir} does not exist`, null, "helm");
    return [dir];
  }
  if (chart.repo.startsWith("oci://")) return [`${chart.repo.replace(/\/+$/, "")}/${chart.name}`, "--version", chart.version];
  return [chart.name, "--repo", chart.repo, "--version", chart.version];
}

/** helm's "chart … version … not found in … repository", said so that an admin knows what to fix. */
function missingChartVersion(e: unknown, spec: ClusterSpec): HelmError | null {
  if (!(e instanceof HelmError) || !/version "[^"]+" not found in .* repository/i.test(e.message)) return null;
  return new HelmError(
    `vCluster chart ${spec.chart.version} is not in the chart repository ${spec.chart.repo}: add it there, or publish a template version pinned to a chart version the repository offers (the Hosts page lists them)`,
    e.exitCode,
    e.command,
  );
}

export class HelmDriver implements ProvisioningDriver {
  readonly name = "helm" as const;
  private readonly helmBin: string;
  private readonly timeoutSeconds: number;
  private readonly chartBaseDir: string;

  constructor(
    private readonly client: KubeClient,
    opts: HelmOptions = {},
  ) {
    this.helmBin = opts.helmBin ?? env().HELM_BIN;
    this.timeoutSeconds = opts.timeoutSeconds ?? env().HELM_TIMEOUT_SECONDS;
    this.chartBaseDir = opts.chartBaseDir ?? process.cwd();
  }

  /** Runs helm against this host; resolves with stdout, rejects with a HelmError carrying helm's stderr. */
  private async helm(args: string[], timeoutMs = (this.timeoutSeconds + 30) * 1000): Promise<string> {
    const kubeconfig = await this.client.kubeconfigFile();
    const full = [...args];
    if (kubeconfig.path) full.push("--kubeconfig", kubeconfig.path);
    // helm's own client-go limiter, set to the host's budget (it is a separate process from our token bucket).
    if (this.client.qps > 0) full.push("--qps", String(this.client.qps), "--burst-limit", String(Math.max(1, this.client.burst)));
    const childEnv: NodeJS.ProcessEnv = { ...process.env };
    delete childEnv.KUBECONFIG; // only --kubeconfig (or the pod's service account when in-cluster)
    const command = `helm ${args.slice(0, 2).join(" ")}`;
    const signal = this.client.signal;
    signal?.throwIfAborted();
    try {
      return await new Promise<string>((resolve, reject) => {
        let killTimer: NodeJS.Timeout | undefined;
        const child = execFile(this.helmBin, full, { env: childEnv, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
          clearTimeout(killTimer);
          signal?.removeEventListener("abort", onAbort);
          if (signal?.aborted) return reject(signal.reason);
          if (!err) return resolve(stdout);
          const e = err as NodeJS.ErrnoException & { code?: number | string; killed?: boolean };
          if (e.code === "ENOENT") return reject(new HelmError(`helm binary not found at "${this.helmBin}" (set HELM_BIN)`, null, command));
          if (e.killed) return reject(new HelmError(`${command} timed out after ${Math.round(timeoutMs / 1000)}s`, null, command));
          reject(new HelmError(readableHelmError(stderr || e.message), typeof e.code === "number" ? e.code : null, command));
        });
        // SIGTERM first: helm then marks an interrupted install/upgrade failed instead of leaving it pending.
        const onAbort = () => {
          child.kill("SIGTERM");
          killTimer = setTimeout(() => child.kill("SIGKILL"), HELM_KILL_GRACE_MS);
          killTimer.unref();
        };
        signal?.addEventListener("abort", onAbort, { once: true });
      });
    } finally {
      await kubeconfig.cleanup();
    }
  }

  /** The release as helm reports it, or null when there is none. */
  async release(spec: ClusterSpec): Promise<HelmStatusJson | null> {
    try {
      const out = await this.helm(["status", spec.releaseName, "--namespace", spec.namespace, "--output", "json"]);
      return JSON.parse(out) as HelmStatusJson;
    } catch (e) {
      if (e instanceof HelmError && /release: not found/i.test(e.message)) return null;
      throw e;
    }
  }

  async install(spec: ClusterSpec, opts: InstallOptions = {}): Promise<void> {
    const known = opts.status ?? (await this.status(spec));
    if (known.helm?.status.startsWith("pending-")) await this.repairPending(spec, known.helm, opts);

    const dir = await mkdtemp(path.join(tmpdir(), "vcp-helm-"));
    const valuesFile = path.join(dir, "values.yaml");
    try {
      await writeFile(valuesFile, buildVclusterValues(spec), { mode: 0o600 });
      await this.helm([
        "upgrade",
        "--install",
        spec.releaseName,
        ...chartArgs(spec.chart, this.chartBaseDir),
        "--values",
        valuesFile,
        "--namespace",
        spec.namespace,
        "--timeout",
        `${this.timeoutSeconds}s`,
        "--wait=false",
        "--history-max",
        "5",
      ]).catch((e: unknown) => {
        throw missingChartVersion(e, spec) ?? e;
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  /**
   * A crash (ours or helm's) during install/upgrade leaves the release `pending-*` and helm refuses further
   * operations. Abandoned — the caller says nobody else can be working on it (the reconciler: no other live
   * claim on the cluster; docs/reconciler.md) — it is repaired: an upgrade rolled back, a first install
   * removed. Otherwise: report and let the caller retry later. The decision never compares helm's timestamps
   * with this machine's clock, which may be skewed against the machine that ran helm.
   */
  private async repairPending(spec: ClusterSpec, rel: { status: string; revision: number }, opts: InstallOptions): Promise<void> {
    if (!(await opts.releaseAbandoned?.())) {
      throw new HelmError(`release ${spec.releaseName} is ${rel.status} (another helm operation is in progress); retrying later`, null, "helm status");
    }
    if (rel.status === "pending-install" || rel.revision <= 1) {
      await this.helm(["uninstall", spec.releaseName, "--namespace", spec.namespace, "--ignore-not-found", "--timeout", `${this.timeoutSeconds}s`]);
    } else {
      await this.helm(["rollback", spec.releaseName, "--namespace", spec.namespace, "--timeout", `${this.timeoutSeconds}s`]);
    }
  }

  async status(spec: ClusterSpec): Promise<DriverStatus> {
    const rel = await this.release(spec);
    if (!rel) return { installed: false, ready: false, message: "no helm release" };
    const st = rel.info?.status ?? "unknown";
    const helm = { status: st, revision: rel.version };
    if (st === "deployed") return { installed: true, ready: true, helm };
    return { installed: true, ready: false, message: `helm release is ${st}${rel.info?.description ? `: ${rel.info.description}` : ""}`, helm };
  }

  async uninstall(spec: ClusterSpec): Promise<{ gone: boolean }> {
    await this.helm(["uninstall", spec.releaseName, "--namespace", spec.namespace, "--ignore-not-found", "--wait=false", "--timeout", `${this.timeoutSeconds}s`]);
    return { gone: (await this.release(spec)) === null };
  }
}
