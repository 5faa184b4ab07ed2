import type { PrismaClient } from "@/lib/generated/prisma/client";
import { hostClient, type KubeClient } from "@/lib/kube/client";
import type { HostView } from "@/lib/kube/vcluster-control-plane";
import { HostWatch, type HostChange } from "@/lib/kube/watch/host-watch";
import type { Logger } from "@/lib/log";
import { markHostChanged } from "./queue";

// The worker process's watches: one HostWatch per host cluster (its namespaces and control planes), shared by
// every Worker of the process. A change a waiting cluster cares about makes that cluster due at once
// (queue.ts markHostChanged + NOTIFY), so the reconciler does not poll the host for readiness, sleep or
// deletion; a step reads the control plane from the watch's copy (host-ops.ts). docs/reconciler.md "Watches".
//
// Without a synced watch of a host (not listed yet, the API server unreachable, or the portal not allowed to
// list control planes cluster-wide) everything works as before: steps read the API server and poll.

type Entry = { client: KubeClient; watch: HostWatch; name: string };

export type HostWatchesOptions = {
  db: PrismaClient;
  log: Logger;
  /** How often the host list is re-read (new, edited, forgotten hosts). Default 30 s. */
  refreshMs?: number;
  /** The client of a host row; default lib/kube hostClient (shared, rate-limited). */
  clientFor?: (host: Parameters<typeof hostClient>[0]) => KubeClient;
};

export class HostWatches {
  private readonly entries = new Map<string, Entry>();
  private timer: NodeJS.Timeout | null = null;
  private refreshing: Promise<void> | null = null;
  private stopped = false;
  /** Changes reported and clusters they made due (for logs, tests and the benchmark). */
  readonly stats = { changes: 0, madeDue: 0 };

  constructor(private readonly o: HostWatchesOptions) {}

  /** Starts a watch for every host and keeps the set current. Resolves once the host list was read. */
  async start(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => void this.refresh(), this.o.refreshMs ?? 30_000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.refreshing;
    await Promise.all([...this.entries.values()].map((e) => e.watch.stop()));
    this.entries.clear();
  }

  /** The host's synced copy, or null (not watched, or not synced): callers then ask the API server. */
  view(hostId: string): HostView | null {
    const e = this.entries.get(hostId);
    return e?.watch.synced ? e.watch : null;
  }

  /** Resolves once every watched host is synced (or the timeout passed); false on timeout. */
  async synced(timeoutMs = 10_000): Promise<boolean> {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      if ([...this.entries.values()].every((e) => e.watch.synced)) return true;
      await new Promise((r) => setTimeout(r, 50));
    }
    return false;
  }

  /** The inventory of a synced host, for the drift sweep (no request). */
  inventory(hostId: string) {
    const e = this.entries.get(hostId);
    return e?.watch.synced ? e.watch.inventory() : null;
  }

  private refresh(): Promise<void> {
    this.refreshing ??= this.reconcileHosts().finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  private async reconcileHosts(): Promise<void> {
    if (this.stopped) return;
    let hosts;
    try {
      hosts = await this.o.db.hostCluster.findMany({ select: { id: true, name: true, connection: true, kubeconfigEncrypted: true, clientQps: true, clientBurst: true } });
    } catch (e) {
      this.o.log.warn({ err: (e as Error).message }, "host watches: cannot read the host list; keeping the current watches");
      return;
    }
    const seen = new Set<string>();
    for (const host of hosts) {
      seen.add(host.id);
      let client: KubeClient;
      try {
        client = (this.o.clientFor ?? hostClient)(host);
      } catch (e) {
        // No kubeconfig yet (a LOCAL host before the local cluster is up): steps report it; try again later.
        this.o.log.debug({ host: host.name, err: (e as Error).message }, "host watches: no client for this host yet");
        continue;
      }
      const current = this.entries.get(host.id);
      if (current?.client === client) continue;
      if (current) await current.watch.stop(); // the host's connection was edited
      const log = this.o.log.child({ host: host.name });
      const watch = new HostWatch(client, (change) => void this.changed(host.id, host.name, change), log);
      watch.start();
      this.entries.set(host.id, { client, watch, name: host.name });
    }
    for (const [id, e] of this.entries) {
      if (seen.has(id)) continue;
      await e.watch.stop();
      this.entries.delete(id);
    }
  }

  private async changed(hostId: string, hostName: string, change: HostChange): Promise<void> {
    this.stats.changes++;
    try {
      const due = await markHostChanged(this.o.db, { hostId, namespace: change.namespace, release: change.release });
      this.stats.madeDue += due;
      if (due) this.o.log.debug({ host: hostName, namespace: change.namespace, release: change.release, what: change.what, due }, "host change: cluster due");
    } catch (e) {
      // The cluster's own requeue time (the safety net) still brings it back.
      this.o.log.warn({ host: hostName, namespace: change.namespace, err: (e as Error).message }, "host change could not be recorded");
    }
  }
}
