/**
 * The portal's Helm chart (deploy/helm/vcluster-portal) as tests see it: rendered or installed by the helm that
 * scripts/k8s builds, with helm's own dirs in a temp dir (nothing of the user's helm setup). Test infrastructure.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";
import { binDir } from "@/scripts/k8s/locations";

export const CHART_DIR = fileURLToPath(new URL("./vcluster-portal", import.meta.url));

/** A rendered object, as plain data. */
export type ChartObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
};

export type HelmResult = { code: number; stdout: string; stderr: string };

/** Runs the built helm; resolves with its exit code and output (a failure is a result, not an exception). */
export async function helm(args: string[], opts: { kubeconfig?: string } = {}): Promise<HelmResult> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "vcp-portal-chart-"));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HELM_CACHE_HOME: path.join(home, "cache"),
    HELM_CONFIG_HOME: path.join(home, "config"),
    HELM_DATA_HOME: path.join(home, "data"),
  };
  delete env.KUBECONFIG;
  const full = opts.kubeconfig ? [...args, "--kubeconfig", opts.kubeconfig] : args;
  try {
    return await new Promise((resolve, reject) => {
      execFile(path.join(binDir(), "helm"), full, { env, maxBuffer: 64 * 1024 * 1024, timeout: 120_000 }, (err, stdout, stderr) => {
        const code = err ? (typeof (err as { code?: unknown }).code === "number" ? ((err as { code: number }).code) : -1) : 0;
        if (err && code === -1) return reject(err); // not started, or killed by the timeout
        resolve({ code, stdout, stderr });
      });
    });
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
}

/** The values every full install needs (portal.enabled), with fresh secrets. */
export function requiredValues(): Record<string, unknown> {
  return {
    image: { repository: "registry.example.com/vcluster-portal" },
    portal: { url: "https://portal.example.com" },
    database: { url: "postgres://portal:secret@postgres.example.com:5432/portal" },
    auth: { secret: randomBytes(32).toString("base64") },
    oidc: { issuer: "https://idp.example.com/realms/portal", clientId: "vcluster-portal", clientSecret: randomBytes(16).toString("hex") },
    encryptionKey: { value: randomBytes(32).toString("base64") },
  };
}

export type Release = { name: string; namespace: string };

/**
 * `helm <command> <release> <chart> -n <namespace> -f <values>` with the values written to a temp file; without a
 * release (helm lint) `helm <command> <chart> -f <values>`.
 */
export async function helmWithValues(command: string[], release: Release | null, values: Record<string, unknown>, opts: { kubeconfig?: string } = {}): Promise<HelmResult> {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "vcp-portal-values-")), "values.json");
  fs.writeFileSync(file, JSON.stringify(values), { mode: 0o600 });
  try {
    const target = release ? [release.name, CHART_DIR, "--namespace", release.namespace] : [CHART_DIR];
    return await helm([...command, ...target, "--values", file], opts);
  } finally {
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }
}

export function parseObjects(yamlText: string): ChartObject[] {
  return parseAllDocuments(yamlText)
    .map((d) => {
      if (d.errors.length) throw new Error(`helm rendered invalid YAML: ${d.errors[0]!.message}`);
      return d.toJS() as ChartObject | null;
    })
    .filter((o): o is ChartObject => !!o?.kind);
}

/** `helm template`: the rendered objects and the YAML text; throws with helm's message when it refuses. */
export async function renderChart(release: Release, values: Record<string, unknown>): Promise<{ objects: ChartObject[]; yaml: string }> {
  const r = await helmWithValues(["template"], release, values);
  if (r.code !== 0) throw new Error(`helm template failed: ${r.stderr.trim()}`);
  return { objects: parseObjects(r.stdout), yaml: r.stdout };
}

/** The kinds that make up the portal's identity on a host cluster (what portal.enabled=false renders). */
export const IDENTITY_KINDS = ["ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding", "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding", "FlowSchema", "PriorityLevelConfiguration"];

/** One object by kind (and name): fails loudly when the chart did not render it. */
export function pick(objects: ChartObject[], kind: string, name?: string): ChartObject {
  const found = objects.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  if (found.length !== 1) throw new Error(`expected one ${kind}${name ? ` ${name}` : ""} in the rendered chart, found ${found.length}`);
  return found[0]!;
}
