import { ApiException } from "@kubernetes/client-node";

// Typed errors from the Kubernetes API (client-node ApiException) and from the network under it.
// Callers branch on `kind`, never on status numbers or message text:
//   NotFound → the object is absent · Conflict → re-read and retry · Forbidden → RBAC is missing a verb ·
//   Unavailable → connection refused / timeout / 5xx / 429: retry later with backoff.

export type KubeErrorKind =
  | "NotFound"
  | "Conflict"
  | "AlreadyExists"
  | "Forbidden"
  | "Unauthorized"
  | "Invalid"
  | "Gone"
  | "TooManyRequests"
  | "Unavailable"
  | "Unknown";

interface StatusBody {
  kind?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: { name?: string; kind?: string; causes?: { message?: string; field?: string }[] };
}

export class KubeError extends Error {
  constructor(
    readonly kind: KubeErrorKind,
    message: string,
    readonly status: number | undefined,
    readonly reason: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "KubeError";
  }

  /** Worth retrying unchanged later (after a fresh read for conflicts). */
  get retryable(): boolean {
    return this.kind === "Conflict" || this.kind === "Unavailable" || this.kind === "TooManyRequests";
  }
}

const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ETIMEDOUT",
  "EPIPE",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
  "UND_ERR_SOCKET",
  "UND_ERR_CLOSED",
]);

function parseStatus(body: unknown): StatusBody | undefined {
  if (typeof body === "string") {
    try {
      const parsed: unknown = JSON.parse(body);
      return typeof parsed === "object" && parsed !== null ? (parsed as StatusBody) : { message: body.slice(0, 500) };
    } catch {
      return body.trim() ? { message: body.trim().slice(0, 500) } : undefined;
    }
  }
  if (typeof body === "object" && body !== null) return body as StatusBody;
  return undefined;
}

function kindOf(status: number, reason: string | undefined): KubeErrorKind {
  if (status === 404) return "NotFound";
  if (status === 409) return reason === "AlreadyExists" ? "AlreadyExists" : "Conflict";
  if (status === 403) return "Forbidden";
  if (status === 401) return "Unauthorized";
  if (status === 422 || status === 400) return "Invalid";
  if (status === 410) return "Gone";
  if (status === 429) return "TooManyRequests";
  if (status >= 500) return "Unavailable";
  return "Unknown";
}

/** The errno-style code of a network failure anywhere in the cause chain (undici wraps it in "fetch failed"). */
export function networkErrorCode(e: unknown): string | undefined {
  let cur: unknown = e;
  for (let depth = 0; cur && depth < 5; depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === "string" && (NETWORK_CODES.has(code) || code.startsWith("UND_ERR"))) return code;
    if (cur instanceof Error && cur.name === "AbortError") return "ABORTED";
    if (cur instanceof Error && cur.name === "TimeoutError") return "ETIMEDOUT";
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Converts anything a client-node call can throw into a KubeError (idempotent). */
export function toKubeError(e: unknown): KubeError {
  if (e instanceof KubeError) return e;
  if (e instanceof ApiException) {
    const code = (e as ApiException<unknown>).code;
    const status = parseStatus((e as ApiException<unknown>).body);
    const reason = status?.reason;
    const kind = kindOf(code, reason);
    const detail = status?.message ?? (code === 401 ? "Unauthorized" : `HTTP ${code}`);
    return new KubeError(kind, `Kubernetes API: ${detail}`, code, reason, { cause: e });
  }
  const net = networkErrorCode(e);
  if (net) {
    const msg = e instanceof Error ? e.message : String(e);
    return new KubeError("Unavailable", `Kubernetes API unreachable (${net}): ${msg}`, undefined, net, { cause: e });
  }
  if (e instanceof Error) return new KubeError("Unknown", e.message, undefined, undefined, { cause: e });
  return new KubeError("Unknown", String(e), undefined, undefined, { cause: e });
}

export const isNotFound = (e: unknown): boolean => toKubeError(e).kind === "NotFound";
export const isConflict = (e: unknown): boolean => {
  const k = toKubeError(e).kind;
  return k === "Conflict" || k === "AlreadyExists";
};
export const isForbidden = (e: unknown): boolean => toKubeError(e).kind === "Forbidden";
export const isUnavailable = (e: unknown): boolean => {
  const k = toKubeError(e).kind;
  return k === "Unavailable" || k === "TooManyRequests";
};

/** Runs a read and maps NotFound to null ("absent"); any other error is thrown as a KubeError. */
export async function orNull<T>(p: Promise<T>): Promise<T | null> {
  try {
    return await p;
  } catch (e) {
    const ke = toKubeError(e);
    if (ke.kind === "NotFound") return null;
    throw ke;
  }
}

/**
 * Retries `fn` on Conflict (409: someone else wrote in between) up to `attempts` times with a short jittered
 * backoff; `fn` must re-read what it writes. Other errors are thrown at once as KubeError.
 */
export async function retryOnConflict<T>(fn: () => Promise<T>, attempts = 5): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (e) {
      const ke = toKubeError(e);
      if (ke.kind !== "Conflict" || i >= attempts) throw ke;
      await new Promise((r) => setTimeout(r, 50 * 2 ** (i - 1) + Math.random() * 50));
    }
  }
}
