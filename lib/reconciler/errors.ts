import { HostConnectionError } from "@/lib/kube/client";
import { KubeError, networkErrorCode, toKubeError } from "@/lib/kube/errors";
import { SpecError } from "@/lib/domain/spec-from-row";

// What a failed step means for the cluster:
//   transient  the world is not ready (API server down, helm lock held, conflict): retry with backoff,
//              forever — an outage must not turn every cluster FAILED. lastError tells people why it waits.
//   permanent  retrying the same intent cannot help (the chart rejects the values, the template's YAML is
//              invalid, the API server refuses the object): FAILED at once; a person fixes and retries.
//   unknown    anything else: retried with backoff, FAILED after maxAttempts.

export type ErrorClass = "transient" | "permanent" | "unknown";

export type ClassifiedError = { class: ErrorClass; message: string };

/** Thrown by a step that wants the cluster FAILED with this message (e.g. readiness timed out). */
export class PermanentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PermanentError";
  }
}

/** The step was cut short: the worker is stopping, lost its lease, was killed, or a Probe crashed it. */
export class StepAborted extends Error {
  constructor(readonly reason: "stopping" | "lease-lost" | "killed" | "crashed") {
    super(`step aborted: ${reason}`);
    this.name = "StepAborted";
  }
}

// helm's stderr when the API server, or a lock on the release, is the problem rather than the chart.
const HELM_TRANSIENT = [
  /kubernetes cluster unreachable/i,
  /connection refused/i,
  /connection reset/i,
  /i\/o timeout/i,
  /no such host/i,
  /tls handshake timeout/i,
  /\bEOF\b/,
  /context deadline exceeded/i,
  /timed out/i,
  /the server is currently unable to handle the request/i,
  /the server was unable to return a response/i,
  /too many requests/i,
  /etcdserver/i,
  /another operation \(install\/upgrade\/rollback\) is in progress/i,
  /retrying later/i,
  /object has been modified/i,
  /could not get information about the resource/i,
  /failed to download/i,
  /error: unable to recognize.*no matches for kind/i,
];

const HELM_CONFIG = [/helm binary not found/i, /local chart directory .* does not exist/i];

function isHelmError(e: unknown): e is Error & { command: string; exitCode: number | null } {
  return e instanceof Error && e.name === "HelmError";
}

/** One line, bounded, for lastError and the timeline. */
export function readable(message: string, max = 1_000): string {
  const one = message.replace(/\s+/g, " ").trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

export function classifyError(e: unknown): ClassifiedError {
  if (e instanceof PermanentError) return { class: "permanent", message: readable(e.message) };
  if (e instanceof SpecError) return { class: "permanent", message: readable(e.message) };
  if (e instanceof Error && (e.name === "TemplateValuesError" || e.name === "NamespaceOwnershipError")) return { class: "permanent", message: readable(e.message) };
  if (e instanceof HostConnectionError) return { class: "transient", message: readable(`Cannot reach the host cluster: ${e.message}`) };
  if (isHelmError(e)) {
    // helm wraps single errors as "1 error occurred: * <the error>": keep the error.
    const msg = readable(`Helm: ${e.message.replace(/^\s*1 error occurred:[;\s]*\*\s*/, "")}`);
    if (HELM_TRANSIENT.some((r) => r.test(e.message))) return { class: "transient", message: msg };
    if (HELM_CONFIG.some((r) => r.test(e.message))) return { class: "unknown", message: msg };
    return { class: "permanent", message: msg };
  }
  if (e instanceof KubeError || networkErrorCode(e)) {
    const ke = toKubeError(e);
    switch (ke.kind) {
      case "Unavailable":
      case "TooManyRequests":
      case "Conflict":
      case "Gone":
        return { class: "transient", message: readable(ke.message) };
      case "Invalid":
        return { class: "permanent", message: readable(ke.message) };
      default:
        // Forbidden / Unauthorized: an admin has to fix the portal's credentials; keep retrying for a while.
        return { class: "unknown", message: readable(ke.message) };
    }
  }
  // Missing kubeconfig files (the local cluster still starting) and DB hiccups: wait them out.
  const code = (e as { code?: unknown } | null)?.code;
  if (code === "ENOENT" && e instanceof Error && /kube/i.test(e.message)) return { class: "transient", message: readable(`Cannot reach the host cluster: ${e.message}`) };
  if (typeof code === "string" && /^(P1001|P1002|P1008|P1017|P2024|ECONNREFUSED|ECONNRESET|57P01)$/.test(code)) {
    return { class: "transient", message: readable(`Database unavailable: ${(e as Error).message}`) };
  }
  return { class: "unknown", message: readable(e instanceof Error ? e.message : String(e)) };
}
