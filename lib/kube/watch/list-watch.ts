import { Watch } from "@kubernetes/client-node";
import type { Logger } from "@/lib/log";
import type { KubeClient } from "../client";
import { KubeError, toKubeError } from "../errors";
import { kubeWatchEvents, kubeWatchRequests } from "../metrics";

// One informer: a cluster-wide list of one resource kind (by label), then a watch from the list's
// resourceVersion that keeps a local copy up to date (docs/reconciler.md "Watches"). Written here rather than
// taken from client-node's ListWatch because that one neither asks for bookmarks nor retries after an error
// other than 410 (it stops for good), and a reconciler must not lose its view of a host to one network blip.
//
//   list  → replace the copy (changes against the old copy are reported, so nothing is missed across a relist)
//   watch → ADDED / MODIFIED / DELETED update the copy; BOOKMARK only advances the resourceVersion, so a
//           reconnect resumes from a recent point instead of an old one that the API server may have compacted
//   410 Gone ("too old resource version") → list again
//   any other failure → wait (backoff, reset by the next event) and watch again from the last resourceVersion

export type WatchedObject = { metadata?: { name?: string; namespace?: string; resourceVersion?: string } };

export type ListResult<T> = { items: T[]; metadata?: { resourceVersion?: string } };

export interface ListWatchOptions<T extends WatchedObject> {
  client: KubeClient;
  /** For logs and metrics, e.g. "statefulsets". */
  resource: string;
  /** The collection's path for the watch, e.g. /apis/apps/v1/statefulsets. */
  path: string;
  labelSelector: string;
  /** The same collection, listed through the (rate-limited, counted) client. */
  list(): Promise<ListResult<T>>;
  /** Called for every change of the copy, after the copy holds it. `previous` is undefined when added. */
  onChange(current: T | undefined, previous: T | undefined): void;
  log: Logger;
  /** Server-side timeout of one watch request; the API server ends it then and we resume. Default 300–360 s. */
  watchTimeoutSeconds?: number;
}

/** client-node's Watch reports a refused request as an Error with `statusCode`; the list as an ApiException. */
function watchError(e: unknown): KubeError {
  const status = (e as { statusCode?: unknown }).statusCode;
  if (status === 410) return new KubeError("Gone", "too old resource version", 410, "Expired");
  if (status === 403) return new KubeError("Forbidden", `Kubernetes API: forbidden (HTTP 403)`, 403, "Forbidden");
  if (typeof status === "number") return new KubeError(status >= 500 ? "Unavailable" : "Unknown", `Kubernetes API: HTTP ${status}`, status, undefined);
  return toKubeError(e);
}

const key = (o: WatchedObject) => `${o.metadata?.namespace ?? ""}/${o.metadata?.name ?? ""}`;

export class ListWatch<T extends WatchedObject> {
  private readonly objects = new Map<string, T>();
  private resourceVersion = "";
  private stopped = false;
  private abort: AbortController | null = null;
  private failures = 0;
  private wake: (() => void) | null = null;
  private running: Promise<void> | null = null;
  /** True once a list succeeded: the copy is then complete as of some resourceVersion. */
  synced = false;
  /** The last failure, while the copy may be behind (cleared by the next successful list or event). */
  lastError: string | null = null;
  /** How often the copy was (re)listed; a relist after 410 shows here. */
  lists = 0;

  constructor(private readonly o: ListWatchOptions<T>) {}

  get(namespace: string, name: string): T | undefined {
    return this.objects.get(`${namespace}/${name}`);
  }

  values(): IterableIterator<T> {
    return this.objects.values();
  }

  start(): void {
    this.running ??= this.loop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.abort?.abort();
    this.wake?.();
    await this.running;
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      try {
        if (!this.resourceVersion) await this.relist();
        if (this.stopped) break;
        await this.watchOnce();
      } catch (e) {
        if (this.stopped) break;
        const err = watchError(e);
        if (err.kind === "Gone") {
          this.o.log.info({ resource: this.o.resource }, `watch of ${this.o.resource}: resourceVersion expired; listing again`);
          this.resourceVersion = "";
          continue;
        }
        this.failures++;
        this.lastError = err.message;
        // Not allowed to list/watch cluster-wide: the reconciler polls instead (HostWatch.synced stays false);
        // ask again now and then, should an operator grant it.
        const delay = err.kind === "Forbidden" ? 10 * 60_000 : Math.min(30_000, 500 * 2 ** Math.min(this.failures - 1, 10)) * (0.5 + Math.random() / 2);
        const level = err.kind === "Forbidden" && this.failures > 1 ? "debug" : "warn";
        this.o.log[level]({ resource: this.o.resource, err: err.message, retryInMs: Math.round(delay) }, `watch of ${this.o.resource} failed; retrying`);
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, delay);
          this.wake = () => {
            clearTimeout(t);
            resolve();
          };
        });
        this.wake = null;
      }
    }
  }

  private async relist(): Promise<void> {
    const list = await this.o.list();
    this.lists++;
    const fresh = new Map(list.items.map((o) => [key(o), o]));
    for (const [k, old] of this.objects) {
      if (!fresh.has(k)) {
        this.objects.delete(k);
        this.o.onChange(undefined, old);
      }
    }
    for (const [k, obj] of fresh) {
      const old = this.objects.get(k);
      this.objects.set(k, obj);
      if (old?.metadata?.resourceVersion !== obj.metadata?.resourceVersion) this.o.onChange(obj, old);
    }
    this.resourceVersion = list.metadata?.resourceVersion ?? "";
    this.synced = true;
    this.lastError = null;
    this.failures = 0;
  }

  /** One watch request, from the current resourceVersion until the server ends it; throws what ended it. */
  private watchOnce(): Promise<void> {
    const timeout = this.o.watchTimeoutSeconds ?? 300 + Math.floor(Math.random() * 60);
    // Inactivity deadline: bookmarks arrive about once a minute, and the server ends the request at `timeout`.
    const watch = new Watch(this.o.client.kc);
    (watch as unknown as { requestTimeoutMs: number }).requestTimeoutMs = (timeout + 30) * 1000;
    kubeWatchRequests.inc({ resource: this.o.resource });
    return new Promise<void>((resolve, reject) => {
      let gone: Error | null = null;
      const onEvent = (type: string, obj: T & { code?: number; message?: string }) => {
        if (type === "ERROR") {
          // The API server ends a watch whose resourceVersion it no longer has with a Status of code 410.
          if (obj.code === 410) gone = Object.assign(new Error(obj.message ?? "too old resource version"), { statusCode: 410 });
          return;
        }
        if (obj.metadata?.resourceVersion) this.resourceVersion = obj.metadata.resourceVersion;
        this.failures = 0;
        this.lastError = null;
        kubeWatchEvents.inc({ resource: this.o.resource, type: type.toLowerCase() });
        if (type === "BOOKMARK") return;
        const k = key(obj);
        const old = this.objects.get(k);
        if (type === "DELETED") this.objects.delete(k);
        else this.objects.set(k, obj);
        this.o.onChange(type === "DELETED" ? undefined : obj, old);
      };
      const done = (err: unknown) => {
        this.abort = null;
        if (gone) reject(gone);
        else if (err && !this.stopped && !(err instanceof Error && err.name === "TimeoutError")) reject(err);
        else resolve();
      };
      watch
        .watch(this.o.path, { labelSelector: this.o.labelSelector, resourceVersion: this.resourceVersion, allowWatchBookmarks: true, timeoutSeconds: timeout }, onEvent, done)
        .then((controller) => {
          this.abort = controller;
          if (this.stopped) controller.abort();
        }, reject);
    });
  }
}
