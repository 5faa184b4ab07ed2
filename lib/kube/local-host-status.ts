import { readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { env } from "@/lib/env";

// The state of the LOCAL host cluster (scripts/k8s: etcd + kube-apiserver + controllers + kwok, built from
// Go modules on first use), for the admin Hosts page. Read from a JSON status file: VCP_LOCAL_K8S_STATUS_FILE
// (`npm start` sets it to .data/local-k8s-status.json and refreshes it every 2 s with clusterStatus()), else
// .data/local-k8s-status.json or the instance state `npm run k8s:up` keeps in .data/k8s/dev/state.json; while
// building, also the build's progress.json ("building 3/7"). Only files are read and pids checked: a page
// load never waits on the API server.

export type LocalHostState = "not-started" | "building" | "starting" | "ready" | "stopping" | "failed" | "unavailable" | "external";

export type LocalHostStatus = {
  state: LocalHostState;
  /** One line for people, e.g. "building 3/7: kube-apiserver". */
  label: string;
  detail?: string;
  progress?: { done: number; total: number; current?: string };
  updatedAt?: string;
  source: string;
};

export const NOT_STARTED_HINT = "not started — run npm run k8s:up or attach a host cluster with KUBECONFIG";

type Json = Record<string, unknown>;
const str = (v: unknown) => (typeof v === "string" ? v : undefined);
const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : undefined);

export type StatusDeps = {
  /** Is a process alive? Used to tell a running build/start from an interrupted one. */
  isAlive: (pid: number) => boolean;
  /** The build's progress.json for a Kubernetes version, when there is one. */
  readProgress: (k8sVersion: string | undefined) => Json | null;
  kubeconfig?: string;
};

function progressOf(p: Json | null): LocalHostStatus["progress"] {
  const done = num(p?.done);
  const total = num(p?.total);
  return done !== undefined && total !== undefined ? { done, total, current: str(p?.current) } : undefined;
}

/**
 * Pure: a status file's JSON → what the page shows. Accepts scripts/k8s's instance state
 * ({phase, detail, ownerPid, k8sVersion}), its build progress ({state: building|done|failed, done, total,
 * current}) and its clusterStatus() shape ({state, detail, progress}).
 */
export function interpretLocalHostStatus(json: Json | null, source: string, deps: StatusDeps): LocalHostStatus {
  if (!json) {
    if (deps.kubeconfig) return { state: "external", label: `attached with KUBECONFIG (${deps.kubeconfig})`, source };
    return { state: "not-started", label: NOT_STARTED_HINT, source };
  }
  const updatedAt = str(json.updatedAt) ?? (num(json.updatedAt) ? new Date(num(json.updatedAt)! * 1000).toISOString() : undefined);
  const detail = str(json.detail);
  const raw = str(json.phase) ?? str(json.state) ?? "";
  const ownerPid = num(json.ownerPid) ?? num(json.pid);
  const interrupted = ownerPid !== undefined && !deps.isAlive(ownerPid);

  const inline = json.progress && typeof json.progress === "object" ? progressOf(json.progress as Json) : progressOf(json);
  switch (raw) {
    case "building": {
      const progress = inline ?? progressOf(deps.readProgress(str(json.k8sVersion)));
      if (interrupted) return { state: "failed", label: `build was interrupted${detail ? ` (${detail})` : ""}`, detail, progress, updatedAt, source };
      const label = progress ? `building ${progress.done}/${progress.total}${progress.current ? `: ${progress.current}` : ""}` : `building${detail ? `: ${detail}` : ""}`;
      return { state: "building", label, detail, progress, updatedAt, source };
    }
    case "starting":
    case "stopping":
      if (interrupted) return { state: "failed", label: `${raw === "starting" ? "start" : "stop"} was interrupted${detail ? ` at: ${detail}` : ""}`, detail, updatedAt, source };
      return { state: raw, label: `${raw}${detail ? `: ${detail}` : ""}`, detail, updatedAt, source };
    case "ready": {
      // clusterStatus() lists the processes: a dead one means the file is older than the truth.
      const pids = json.pids && typeof json.pids === "object" ? Object.entries(json.pids as Record<string, unknown>) : [];
      const dead = pids.find(([, pid]) => typeof pid !== "number" || !deps.isAlive(pid));
      if (dead) return { state: "failed", label: `not running: ${dead[0]} has stopped (restart with npm run k8s:up or npm start)`, detail, updatedAt, source };
      return { state: "ready", label: detail && detail.startsWith("ready") ? detail : `ready${detail ? `: ${detail}` : ""}`, detail, updatedAt, source };
    }
    case "unavailable":
      return { state: "unavailable", label: `unavailable${detail ? `: ${detail}` : ""}`, detail, updatedAt, source };
    case "done":
      // A finished build with no instance state yet: binaries are there, nothing runs.
      return { state: "not-started", label: `binaries built; ${NOT_STARTED_HINT}`, detail, progress: inline, updatedAt, source };
    case "failed":
      return { state: "failed", label: `failed${detail ? `: ${detail}` : ""}`, detail, progress: inline, updatedAt, source };
    case "absent":
      return interpretLocalHostStatus(null, source, deps);
    default:
      return { state: "failed", label: `unreadable status (${raw || "no phase"}) in ${source}`, detail, updatedAt, source };
  }
}

function readJson(file: string): Json | null {
  try {
    const v: unknown = JSON.parse(readFileSync(/*turbopackIgnore: true*/ file, "utf8"));
    return v && typeof v === "object" && !Array.isArray(v) ? (v as Json) : null;
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Where to look, in order: the configured file, else what `npm start` and `npm run k8s:up` write. */
export function localHostStatusFiles(): string[] {
  const configured = env().VCP_LOCAL_K8S_STATUS_FILE;
  // turbopackIgnore: runtime files, not part of the build (keeps Next's file tracing from taking in the repo).
  if (configured) return [path.resolve(/*turbopackIgnore: true*/ configured)];
  const cwd = process.cwd();
  return [path.join(/*turbopackIgnore: true*/ cwd, ".data", "local-k8s-status.json"), path.join(/*turbopackIgnore: true*/ cwd, ".data", "k8s", "dev", "state.json")];
}

/** The local host cluster's state as the status file tells it. */
export function readLocalHostStatus(files: string[] = localHostStatusFiles()): LocalHostStatus {
  let file = files[0]!;
  let json: Json | null = null;
  for (const f of files) {
    json = readJson(f);
    file = f;
    if (json) break;
  }
  if (!json) file = files[0]!;
  return interpretLocalHostStatus(json, file, {
    isAlive,
    kubeconfig: env().KUBECONFIG,
    readProgress: (k8sVersion) =>
      readJson(path.join(/*turbopackIgnore: true*/ path.dirname(file), "progress.json")) ??
      (k8sVersion ? readJson(path.join(/*turbopackIgnore: true*/ os.homedir(), ".cache", "vcluster-portal", `k8s-${k8sVersion}`, "progress.json")) : null),
  });
}
