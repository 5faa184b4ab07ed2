// The reconciler's state machine against a real PostgreSQL and an in-memory host (scripts/testenv/fake-host-reconciler.ts):
// a worker dying at every checkpoint, a graceful hand-over, outages, chart errors, unknown errors, a control plane
// that never becomes ready, and several workers on one queue.
import { describe, expect, it } from "vitest";
import { retryCluster } from "@/lib/domain/retry-cluster";
import { HelmError } from "@/lib/kube/drivers/helm";
import type { Checkpoint } from "./step-context";
import { ConcurrencyProbe, FakeHost, unavailable, waitForPhase, waitUntil } from "@/scripts/testenv/fake-host";
import { FAST_STEP, count, setUpFakeHostReconciler } from "@/scripts/testenv/fake-host-reconciler";

const suite = setUpFakeHostReconciler();
const { startWorker, request, events } = suite;

describe("crashes", () => {
  // The checkpoints of a clean provisioning run, in order (observed: see the first test of this block).
  it("records the checkpoint sequence of a clean provisioning", async () => {
    const host = new FakeHost();
    const seen: Checkpoint[] = [];
    startWorker(host, { probe: { at: (name) => void seen.push(name) } });
    const c = await request();
    await waitForPhase(suite.prisma, c.id, "READY");
    expect(seen[0]).toBe("observe");
    expect(seen).toContain("apply-host-objects");
    expect(seen).toContain("install");
    expect(seen).toContain("mark-installed");
    expect(seen.at(-2)).toBe("mark-ready");
    expect(seen.at(-1)).toBe("release");
  });

  for (let k = 1; k <= 10; k++) {
    it(`resumes after the worker dies at checkpoint #${k}: one namespace, one release, each event once`, async () => {
      const host = new FakeHost();
      let calls = 0;
      let crashedAt: string | null = null;
      // Count only this test's cluster (an earlier test may leave a READY cluster leased by its dead worker).
      const earlier = new Set((await suite.prisma.virtualCluster.findMany({ select: { id: true } })).map((r) => r.id));
      const doomed = startWorker(host, {
        leaseSeconds: 1,
        probe: {
          at: (name, id) => {
            if (!earlier.has(id) && ++calls === k) {
              crashedAt = name;
              return "crash";
            }
          },
        },
      });
      const c = await request();
      await waitUntil("the crash (or READY when the run has fewer checkpoints)", async () => doomed.stats.crashes > 0 || (await suite.prisma.virtualCluster.findUniqueOrThrow({ where: { id: c.id } })).phase === "READY", 10_000);
      await doomed.kill();
      const leased = await suite.prisma.virtualCluster.findUniqueOrThrow({ where: { id: c.id } });
      if (crashedAt) expect(leased.leaseOwner).toBe(doomed.id); // a dead worker releases nothing

      startWorker(host);
      const ready = await waitForPhase(suite.prisma, c.id, "READY", 15_000);
      expect(ready.observedGeneration).toBe(ready.generation);
      expect([...host.namespaces.keys()]).toEqual([c.namespace]);
      expect([...host.releases.keys()]).toEqual([`${c.namespace}/${c.releaseName}`]);
      expect(host.statefulSets.size).toBe(1);
      const ev = await events(c.id);
      expect(count(ev, "namespace-created")).toBe(1);
      expect(count(ev, "release-installed")).toBe(1);
      expect(count(ev, "ready")).toBe(1);
    });
  }

  it("a graceful stop mid-wait hands the cluster over without waiting for the lease", async () => {
    const host = new FakeHost();
    host.readyDelayMs = 1_500;
    const a = startWorker(host, { leaseSeconds: 60 });
    const c = await request();
    await waitUntil("the release", async () => host.releases.size > 0, 5_000);
    await a.stop();
    const t0 = Date.now();
    startWorker(host, { leaseSeconds: 60 });
    await waitForPhase(suite.prisma, c.id, "READY", 10_000);
    expect(Date.now() - t0).toBeLessThan(5_000);
  });
});

describe("failures", () => {
  it("waits out an API server outage with backoff and a visible lastError, never FAILED, then resumes", async () => {
    const host = new FakeHost();
    host.outage = unavailable();
    startWorker(host);
    const c = await request();
    const waiting = await waitUntil("several failed attempts", async () => {
      const r = await suite.prisma.virtualCluster.findUniqueOrThrow({ where: { id: c.id } });
      return r.attempts >= 5 ? r : null;
    }, 15_000);
    expect(waiting.phase).toBe("PROVISIONING");
    expect(waiting.lastError).toMatch(/unreachable/);
    // Backoff spaces the attempts out: 5 attempts with base 50 ms cap 400 ms take > 500 ms.
    host.outage = null;
    const ready = await waitForPhase(suite.prisma, c.id, "READY", 10_000);
    expect(ready).toMatchObject({ attempts: 0, lastError: null });
  });

  it("fails at once on a chart error, shows helm's message, and can be retried", async () => {
    const host = new FakeHost();
    let broken = true;
    host.installError = () => (broken ? new HelmError("UPGRADE FAILED: template: vcluster/templates/statefulset.yaml:21:21: executing \"vcluster/templates/statefulset.yaml\": invalid replicas", 1, "helm upgrade --install") : null);
    startWorker(host);
    const c = await request();
    const failed = await waitForPhase(suite.prisma, c.id, "FAILED");
    expect(failed.lastError).toMatch(/^Helm: UPGRADE FAILED: template: vcluster\/templates\/statefulset.yaml/);
    expect(failed.nextReconcileAt.getUTCFullYear()).toBe(9999);
    expect(await events(c.id)).toContain("failed");

    broken = false;
    await retryCluster(suite.team.member, { clusterId: c.id });
    const ready = await waitForPhase(suite.prisma, c.id, "READY");
    expect(ready.lastError).toBeNull();
    expect(host.releases.get(`${c.namespace}/${c.releaseName}`)).toMatchObject({ revision: 2, status: "deployed" });
  });

  it("gives up on errors of unknown kind after maxAttempts", async () => {
    const host = new FakeHost();
    host.installError = () => new Error("something nobody expected");
    startWorker(host, { step: { ...FAST_STEP, maxAttempts: 3 } });
    const c = await request();
    const failed = await waitForPhase(suite.prisma, c.id, "FAILED", 10_000);
    expect(failed.lastError).toBe("something nobody expected (gave up after 3 attempts)");
    expect(host.count("install")).toBe(3);
  });

  it("fails a control plane that never becomes ready", async () => {
    const host = new FakeHost();
    host.readyDelayMs = 60_000;
    startWorker(host, { step: { ...FAST_STEP, readyTimeoutMs: 500 } });
    const c = await request();
    const failed = await waitForPhase(suite.prisma, c.id, "FAILED", 10_000);
    expect(failed.lastError).toMatch(/did not become ready within 1 s: 0\/1 control plane replicas ready/);
  });
});

describe("several workers", () => {
  it("never runs two steps for one cluster at the same time", async () => {
    const host = new FakeHost();
    host.latencyMs = 20;
    host.readyDelayMs = 300;
    const probe = new ConcurrencyProbe();
    startWorker(host, { concurrency: 3, probe, pollMs: 50 });
    startWorker(host, { concurrency: 3, probe, pollMs: 50 });
    startWorker(host, { concurrency: 3, probe, pollMs: 50 });
    const cs = [];
    for (let i = 0; i < 6; i++) cs.push(await request());
    for (const c of cs) await waitForPhase(suite.prisma, c.id, "READY", 20_000);
    expect(probe.maxPerCluster).toBe(1);
    expect(probe.maxTotal).toBeGreaterThan(1); // they did work in parallel
    expect(host.count("install")).toBe(6);
    for (const c of cs) expect(count(await events(c.id), "ready")).toBe(1);
  });
});
