// The reconciler fed by watches of the real local host (lib/reconciler/host-watches.ts): with the requeue safety net
// set to ten minutes, a cluster still becomes READY, sleeps and wakes within seconds, so it was the watch that made it
// due; its control plane is never read from the API server (the watch's copy is), and helm runs once per install.
// A host the watch cannot list falls back to polling.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KubeConfig } from "@kubernetes/client-node";
import { sleepCluster } from "@/lib/domain/sleep-cluster";
import { wakeCluster } from "@/lib/domain/wake-cluster";
import { kubeClientFromConfig } from "@/lib/kube/client";
import { kubeRequestDuration } from "@/lib/kube/metrics";
import { log } from "@/lib/log";
import { waitForPhase } from "@/scripts/testenv/fake-host";
import { testKubeconfig } from "@/scripts/testenv/per-file";
import { setUpRealHostReconciler } from "@/scripts/testenv/real-host-reconciler";
import { HostWatches } from "./host-watches";

const host = setUpRealHostReconciler();
/** Waits for the control plane are only a safety net this long: anything sooner came from the watch. */
const STEP = { readyPollMs: 300, deletePollMs: 1_000, watchedWaitMs: 600_000, backoff: { baseMs: 300, capMs: 2_000 } };
let watches: HostWatches;

/** Requests the portal sent, by "verb resource", since the process started. */
async function requests(): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const v of (await kubeRequestDuration.get()).values) {
    if (v.metricName?.endsWith("_count")) out.set(`${v.labels.verb} ${v.labels.resource}`, (out.get(`${v.labels.verb} ${v.labels.resource}`) ?? 0) + v.value);
  }
  return out;
}
const delta = (after: Map<string, number>, before: Map<string, number>, key: string) => (after.get(key) ?? 0) - (before.get(key) ?? 0);

beforeAll(async () => {
  watches = new HostWatches({ db: host.prisma, log, refreshMs: 1_000 });
  await watches.start();
  expect(await watches.synced(30_000)).toBe(true);
});

afterAll(async () => {
  await watches?.stop();
});

describe("watches of the real host feed the reconciler", () => {
  it("a request becomes READY when the watch reports its control plane ready; the control plane is read from the watch, helm installs once", async () => {
    host.startWorker({ hostWatches: watches, step: STEP });
    const before = await requests();
    const changes = watches.stats.madeDue;
    const c = await host.request();
    await waitForPhase(host.prisma, c.id, "READY", 60_000);
    const after = await requests();
    expect(watches.stats.madeDue).toBeGreaterThan(changes);
    for (const read of ["get statefulsets", "get deployments"]) expect(delta(after, before, read), read).toBe(0);
    // one: the ownership check before the first apply (the watch sees only the portal's own namespaces)
    expect(delta(after, before, "get namespaces")).toBe(1);
    expect(delta(after, before, "get secrets")).toBeGreaterThanOrEqual(1); // vc-<release>, once the control plane is ready
    expect(await host.eventTypes(c.id)).toEqual(["requested", "namespace-created", "release-installed", "ready"]);
    expect(host.helmReleases(c.namespace!)).toEqual([c.releaseName]);
    expect(host.helmHistory(c.namespace!, c.releaseName!)).toEqual([{ revision: 1, status: "deployed" }]);
  });

  it("sleep and wake proceed on the watch's news too", async () => {
    host.startWorker({ hostWatches: watches, step: STEP });
    const c = await host.request();
    await waitForPhase(host.prisma, c.id, "READY", 60_000);
    await sleepCluster(host.team.member, { clusterId: c.id });
    await waitForPhase(host.prisma, c.id, "SLEEPING", 60_000);
    await wakeCluster(host.team.member, { clusterId: c.id });
    await waitForPhase(host.prisma, c.id, "READY", 60_000);
    expect((await host.eventTypes(c.id)).slice(-4)).toEqual(["sleep-requested", "slept", "wake-requested", "resumed"]);
  });

  it("a host the watch cannot list (refused: a wrong token) is polled instead, and its clusters still become READY", async () => {
    const bad = new KubeConfig();
    bad.loadFromFile(testKubeconfig());
    bad.users = bad.users.map((u) => ({ name: u.name, token: "not-a-token" }));
    const refused = kubeClientFromConfig(bad, { id: "refused", qps: 50, burst: 100 });
    const blind = new HostWatches({ db: host.prisma, log, clientFor: () => refused });
    await blind.start();
    try {
      expect(await blind.synced(2_000)).toBe(false);
      host.startWorker({ hostWatches: blind, step: { ...STEP, watchedWaitMs: 600_000 } });
      const c = await host.request();
      await waitForPhase(host.prisma, c.id, "READY", 60_000);
    } finally {
      await blind.stop();
    }
  });
});
