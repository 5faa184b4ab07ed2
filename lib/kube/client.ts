import { createHash } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  ApiextensionsV1Api,
  AppsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  IsomorphicFetchHttpLibrary,
  KubeConfig,
  KubernetesObjectApi,
  NetworkingV1Api,
  Observable,
  RbacAuthorizationV1Api,
  ServerConfiguration,
  createConfiguration,
  setHeaderMiddleware,
  type Configuration,
  type HttpLibrary,
  type RequestContext,
  type ResponseContext,
} from "@kubernetes/client-node";
import { decryptHostKubeconfig } from "@/lib/crypto/secret-box";
import { env } from "@/lib/env";
import { kubeRateLimitWait, kubeRequestDuration, kubeRequestErrors } from "./metrics";
import { TokenBucket } from "./rate-limit";

// The one factory for clients of host clusters (README: Architecture, like Backstage's KubeConfig factory).
// Every request of every API object below goes through one token bucket per host (QPS/burst from the
// HostCluster row) and is timed into vcp_kube_request_duration_seconds.

export type HostConnection = "LOCAL" | "KUBECONFIG" | "IN_CLUSTER";

/** The fields of a HostCluster row the client needs (structurally compatible with the Prisma model). */
export interface HostClusterConnection {
  id: string;
  name?: string;
  connection: HostConnection;
  kubeconfigEncrypted: string | null;
  clientQps: number;
  clientBurst: number;
}

export interface KubeClient {
  hostId: string;
  kc: KubeConfig;
  core: CoreV1Api;
  apps: AppsV1Api;
  rbac: RbacAuthorizationV1Api;
  net: NetworkingV1Api;
  custom: CustomObjectsApi;
  apiext: ApiextensionsV1Api;
  /** Generic object API, used for server-side apply (lib/kube/apply.ts). */
  objects: KubernetesObjectApi;
  limiter: TokenBucket;
  /** Set on a client made by withSignal: its requests (and helm processes) end when it aborts. */
  signal?: AbortSignal;
  /**
   * The same object for a client and every withSignal copy of it (a step gets a new copy each time): what is
   * learnt once per host — API discovery, the portal's own identity, the API server's addresses — is cached on
   * it, not on the copy, or every step would ask again.
   */
  shared: object;
  /**
   * The same client (same host, same token bucket) whose every request is cancelled when `signal` aborts,
   * e.g. a reconcile step's lease was lost: nothing more is sent on its behalf, nothing waits for an answer.
   */
  withSignal(signal: AbortSignal): KubeClient;
  /** QPS/burst for tools that talk to the same host themselves (helm --qps/--burst-limit). */
  qps: number;
  burst: number;
  /**
   * A kubeconfig file for CLI tools (helm). LOCAL: the configured file itself; KUBECONFIG: a temporary 0600
   * copy of the decrypted config, removed by cleanup(); IN_CLUSTER: null (the tool uses the pod's account).
   */
  kubeconfigFile(): Promise<{ path: string | null; cleanup: () => Promise<void> }>;
}

// ───────────────────────────── request labels ─────────────────────────────

/** `verb` and `resource` metric labels for a request, derived from method and URL like the apiserver does. */
export function requestLabels(method: string, url: string, contentType?: string): { verb: string; resource: string } {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return { verb: method.toLowerCase(), resource: "unknown" };
  }
  const parts = u.pathname.split("/").filter(Boolean);
  let rest: string[];
  if (parts[0] === "api") rest = parts.slice(2);
  else if (parts[0] === "apis") rest = parts.slice(3);
  else return { verb: method.toLowerCase(), resource: parts[0] ?? "root" };

  let resource: string | undefined;
  let name: string | undefined;
  let sub: string | undefined;
  if (rest[0] === "namespaces" && rest.length >= 3 && !(rest.length === 3 && (rest[2] === "status" || rest[2] === "finalize"))) {
    [resource, name, sub] = [rest[2], rest[3], rest[4]];
  } else {
    [resource, name, sub] = [rest[0], rest[1], rest[2]];
  }
  if (!resource) return { verb: "get", resource: "discovery" };
  const fullResource = sub ? `${resource}/${sub}` : resource;
  const m = method.toUpperCase();
  let verb: string;
  if (m === "GET") verb = name ? "get" : u.searchParams.get("watch") === "true" ? "watch" : "list";
  else if (m === "POST") verb = "create";
  else if (m === "PUT") verb = "update";
  else if (m === "PATCH") verb = contentType?.includes("apply-patch") ? "apply" : "patch";
  else if (m === "DELETE") verb = name ? "delete" : "deletecollection";
  else verb = m.toLowerCase();
  return { verb, resource: fullResource };
}

// ───────────────────────────── rate-limited, instrumented transport ─────────────────────────────

/**
 * Wraps client-node's HTTP library: waits for a token, sends with a deadline, records metrics. The deadline
 * matters for an API server that accepts connections and never answers: without it a step would hang for good.
 */
export class RateLimitedHttpLibrary implements HttpLibrary {
  constructor(
    private readonly limiter: TokenBucket,
    private readonly timeoutMs: number,
    private readonly inner: HttpLibrary = new IsomorphicFetchHttpLibrary(),
    /** Cancels every request of this library (a step's signal, see KubeClient.withSignal). */
    private readonly cancel?: AbortSignal,
  ) {}

  send(request: RequestContext): Observable<ResponseContext> {
    return new Observable(this.sendAsync(request));
  }

  private async sendAsync(request: RequestContext): Promise<ResponseContext> {
    const own = request.getSignal();
    const cancel = own && this.cancel ? AbortSignal.any([own, this.cancel]) : (own ?? this.cancel);
    cancel?.throwIfAborted();
    const waited = await this.limiter.acquire(cancel);
    const deadline = AbortSignal.timeout(this.timeoutMs);
    request.setSignal(cancel ? AbortSignal.any([cancel, deadline]) : deadline);
    kubeRateLimitWait.observe(waited / 1000);
    const { verb, resource } = requestLabels(request.getHttpMethod(), request.getUrl(), request.getHeaders()["Content-Type"]);
    const start = performance.now();
    try {
      const res = await this.inner.send(request).toPromise();
      const code = String(res.httpStatusCode);
      kubeRequestDuration.observe({ verb, resource, code }, (performance.now() - start) / 1000);
      if (res.httpStatusCode >= 400 && res.httpStatusCode !== 404 && res.httpStatusCode !== 409) {
        kubeRequestErrors.inc({ verb, resource, code });
      }
      return res;
    } catch (e) {
      kubeRequestDuration.observe({ verb, resource, code: "network" }, (performance.now() - start) / 1000);
      kubeRequestErrors.inc({ verb, resource, code: "network" });
      throw e;
    }
  }
}

function configurationFor(kc: KubeConfig, httpApi: HttpLibrary): Configuration {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error("kubeconfig has no current cluster (set current-context)");
  return createConfiguration({
    baseServer: new ServerConfiguration<Record<string, string>>(cluster.server, {}),
    authMethods: { default: kc },
    httpApi,
    middleware: [setHeaderMiddleware("User-Agent", "vcluster-portal")],
  });
}

const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

export interface ClientOptions {
  id: string;
  qps: number;
  burst: number;
  /** Deadline of one request; default 30 s (hostClient: KUBE_REQUEST_TIMEOUT_SECONDS). */
  timeoutMs?: number;
  kubeconfigFile?: KubeClient["kubeconfigFile"];
}

/** A rate-limited, instrumented client for any KubeConfig (uncached; prefer hostClient for hosts). */
export function kubeClientFromConfig(kc: KubeConfig, opts: ClientOptions): KubeClient {
  return clientWith(kc, opts, new TokenBucket(opts.qps, opts.burst), { discovery: {} });
}

type Shared = { discovery: Record<string, unknown> };

function clientWith(kc: KubeConfig, opts: ClientOptions, limiter: TokenBucket, shared: Shared, signal?: AbortSignal): KubeClient {
  const config = configurationFor(kc, new RateLimitedHttpLibrary(limiter, opts.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS, undefined, signal));
  const objects = new KubernetesObjectApi(config);
  // client-node keeps the API discovery that server-side apply needs per KubernetesObjectApi instance (a
  // protected field); every copy of this client shares one, so a host's discovery is read once, not per step.
  (objects as unknown as { apiVersionResourceCache: Record<string, unknown> }).apiVersionResourceCache = shared.discovery;
  return {
    hostId: opts.id,
    kc,
    core: new CoreV1Api(config),
    apps: new AppsV1Api(config),
    rbac: new RbacAuthorizationV1Api(config),
    net: new NetworkingV1Api(config),
    custom: new CustomObjectsApi(config),
    apiext: new ApiextensionsV1Api(config),
    objects,
    limiter,
    signal,
    shared,
    withSignal: (s) => clientWith(kc, opts, limiter, shared, signal ? AbortSignal.any([signal, s]) : s),
    qps: opts.qps,
    burst: opts.burst,
    kubeconfigFile: opts.kubeconfigFile ?? (() => tempKubeconfigFile(kc.exportConfig())),
  };
}

async function tempKubeconfigFile(content: string): Promise<{ path: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), "vcp-kube-"));
  const file = path.join(dir, "kubeconfig");
  await writeFile(file, content, { mode: 0o600 });
  return { path: file, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

// ───────────────────────────── host clusters ─────────────────────────────

export class HostConnectionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "HostConnectionError";
  }
}

/** Loads a KUBECONFIG-style value (one or more files joined by ":"), like kubectl does. */
function loadKubeconfigPaths(value: string): KubeConfig {
  const files = value.split(path.delimiter).filter(Boolean);
  if (!files.length) throw new HostConnectionError("KUBECONFIG is empty");
  const kc = new KubeConfig();
  kc.loadFromFile(files[0]!);
  for (const f of files.slice(1)) {
    const more = new KubeConfig();
    more.loadFromFile(f);
    kc.mergeConfig(more, true);
  }
  return kc;
}

/** Builds the KubeConfig for a host according to its connection type. */
export function loadHostKubeConfig(host: HostClusterConnection): KubeConfig {
  const label = host.name ?? host.id;
  switch (host.connection) {
    case "LOCAL": {
      const value = env().KUBECONFIG;
      if (!value) {
        throw new HostConnectionError(
          `host cluster "${label}" uses the LOCAL connection but KUBECONFIG is not set (npm start and the tests set it to the local cluster's kubeconfig)`,
        );
      }
      return loadKubeconfigPaths(value);
    }
    case "KUBECONFIG": {
      if (!host.kubeconfigEncrypted) throw new HostConnectionError(`host cluster "${label}" has no stored kubeconfig`);
      const kc = new KubeConfig();
      kc.loadFromString(decryptHostKubeconfig({ id: host.id, kubeconfigEncrypted: host.kubeconfigEncrypted }));
      return kc;
    }
    case "IN_CLUSTER": {
      const kc = new KubeConfig();
      kc.loadFromCluster();
      return kc;
    }
    default:
      throw new HostConnectionError(`host cluster "${label}" has an unknown connection type "${String(host.connection)}"`);
  }
}

function fingerprint(host: HostClusterConnection, kubeconfigEnv: string | undefined): string {
  return createHash("sha256")
    .update(JSON.stringify([host.connection, host.kubeconfigEncrypted, host.clientQps, host.clientBurst, host.connection === "LOCAL" ? kubeconfigEnv : null]))
    .digest("hex");
}

type CacheEntry = { fingerprint: string; client: KubeClient };
const globalCache = globalThis as unknown as { __vcpHostClients?: Map<string, CacheEntry> };
const cache = (globalCache.__vcpHostClients ??= new Map<string, CacheEntry>());

/**
 * The client of a host cluster, cached per host id (one token bucket per host across the process). A change
 * of connection, stored kubeconfig or QPS/burst in the row replaces the cached client.
 */
export function hostClient(host: HostClusterConnection): KubeClient {
  const kubeconfigEnv = host.connection === "LOCAL" ? env().KUBECONFIG : undefined;
  const fp = fingerprint(host, kubeconfigEnv);
  const hit = cache.get(host.id);
  if (hit && hit.fingerprint === fp) return hit.client;
  const kc = loadHostKubeConfig(host);
  let kubeconfigFile: KubeClient["kubeconfigFile"] | undefined;
  if (host.connection === "IN_CLUSTER") {
    kubeconfigFile = async () => ({ path: null, cleanup: async () => {} });
  } else if (host.connection === "LOCAL" && kubeconfigEnv && !kubeconfigEnv.includes(path.delimiter)) {
    kubeconfigFile = async () => ({ path: kubeconfigEnv, cleanup: async () => {} });
  }
  const timeoutMs = env().KUBE_REQUEST_TIMEOUT_SECONDS * 1000;
  const client = kubeClientFromConfig(kc, { id: host.id, qps: host.clientQps, burst: host.clientBurst, kubeconfigFile, timeoutMs });
  cache.set(host.id, { fingerprint: fp, client });
  return client;
}

/** Drops a cached client (e.g. after a host was edited or deleted). */
export function forgetHostClient(hostId?: string): void {
  if (hostId === undefined) cache.clear();
  else cache.delete(hostId);
}
