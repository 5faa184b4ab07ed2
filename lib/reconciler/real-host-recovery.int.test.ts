// The reconciler recovering on the real local host cluster (scripts/testenv/real-host-reconciler.ts): a worker
// killed at each step, an unreachable API server, two workers on one queue, a template the chart refuses.
import net from "node:net";
import { describe, expect, it } from "vitest";
import { KubeConfig } from "@kubernetes/client-node";
import { stringify, parse } from "yaml";
import { deleteCluster } from "@/lib/domain/delete-cluster";
import { retryCluster } from "@/lib/domain/retry-cluster";
import { encryptHostKubeconfig } from "@/lib/crypto/secret-box";
import { testKubeconfig } from "@/scripts/testenv/per-file";
import { ConcurrencyProbe, waitForPhase, waitUntil } from "@/scripts/testenv/fake-host";
import { setUpRealHostReconciler } from "@/scripts/testenv/real-host-reconciler";

const host = setUpRealHostReconciler();
const { slug, startWorker, request, helmReleases, namespacesOfTeam, dropFromHost, eventTypes } = host;

describe("faults on the real host cluster", () => {
  it("resumes after the worker dies at each step of provisioning: one namespace and one release each", async () => {
    // Clusters run in parallel; cluster #k "kills its worker" at its k-th checkpoint (the step ends there,
    // leaving the lease held, nothing written). Then that worker is killed for good and a new one takes over.
    const K = 6;
    const clusters = [] as Awaited<ReturnType<typeof request>>[];
    for (let k = 1; k <= K; k++) clusters.push(await request());
    const crashAt = new Map(clusters.map((c, i) => [c.id, i + 1]));
    const seen = new Map<string, number>();
    const crashed = new Set<string>();
    const doomed = startWorker({
      concurrency: K,
      leaseSeconds: 2,
      probe: {
        at: (name, id) => {
          const count = (seen.get(id) ?? 0) + 1;
          seen.set(id, count);
          if (count === crashAt.get(id)) {
            crashed.add(id);
            return "crash";
          }
        },
      },
    });
    await waitUntil("every cluster to crash", async () => crashed.size === K, 120_000, 200);
    await doomed.kill();
    startWorker({ concurrency: K, leaseSeconds: 15 });
    for (const c of clusters) {
      await waitForPhase(host.prisma, c.id, "READY", 120_000);
      expect(helmReleases(c.namespace!)).toEqual([c.releaseName]);
      const types = await eventTypes(c.id);
      for (const t of ["namespace-created", "release-installed", "ready"]) expect(types.filter((x) => x === t)).toHaveLength(1);
    }
    const mine = await namespacesOfTeam();
    for (const c of clusters) expect(mine.filter((ns) => ns === c.namespace)).toHaveLength(1);
    await dropFromHost(clusters);
  });

  it("waits while the host's API server is unreachable and resumes when it is back", async () => {
    // A TCP proxy in front of the real API server, and a host whose kubeconfig points at it.
    const real = new KubeConfig();
    real.loadFromFile(testKubeconfig());
    const target = new URL(real.getCurrentCluster()!.server);
    const proxy = new FlakyProxy(target.hostname, Number(target.port));
    const port = await proxy.listen();
    const doc = parse(real.exportConfig()) as { clusters: { cluster: { server: string } }[] };
    for (const cl of doc.clusters) cl.cluster.server = `https://127.0.0.1:${port}`;
    const flaky = await host.prisma.hostCluster.create({
      data: { id: `flaky-${slug}`, name: `flaky-${slug}`, connection: "KUBECONFIG", kubeconfigEncrypted: encryptHostKubeconfig(`flaky-${slug}`, stringify(doc)), capacityCpuMillicores: 32000, capacityMemoryMiB: 131072, enabled: false },
    });
    try {
      const c = await request();
      await host.prisma.virtualCluster.update({ where: { id: c.id }, data: { hostClusterId: flaky.id } });
      proxy.down();
      startWorker();
      const waiting = await waitUntil(
        "failed attempts while the API server is down",
        async () => {
          const r = await host.prisma.virtualCluster.findUniqueOrThrow({ where: { id: c.id } });
          return r.attempts >= 3 ? r : null;
        },
        60_000,
        200,
      );
      expect(waiting.phase).toBe("PROVISIONING");
      expect(waiting.lastError).toMatch(/unreachable|ECONNREFUSED|connection refused/i);
      proxy.up();
      const ready = await waitForPhase(host.prisma, c.id, "READY", 90_000);
      expect(ready).toMatchObject({ attempts: 0, lastError: null });
      expect(helmReleases(c.namespace!)).toEqual([c.releaseName]);

      // Down again in the middle of a deletion: it waits, then finishes.
      proxy.down();
      await deleteCluster(host.team.member, { clusterId: c.id });
      await waitUntil("a failed deletion attempt", async () => (await host.prisma.virtualCluster.findUniqueOrThrow({ where: { id: c.id } })).attempts >= 2, 60_000, 200);
      expect((await host.prisma.virtualCluster.findUniqueOrThrow({ where: { id: c.id } })).phase).toBe("DELETING");
      proxy.up();
      await waitForPhase(host.prisma, c.id, "DELETED", 90_000);
    } finally {
      await proxy.close();
    }
  });

  it("two workers on one queue never run a step for the same cluster concurrently", async () => {
    const probe = new ConcurrencyProbe();
    startWorker({ concurrency: 2, probe, pollMs: 200 });
    startWorker({ concurrency: 2, probe, pollMs: 200 });
    const cs = [await request(), await request(), await request()];
    for (const c of cs) await waitForPhase(host.prisma, c.id, "READY", 120_000);
    expect(probe.maxPerCluster).toBe(1);
    expect(probe.steps).toBeGreaterThan(cs.length);
    for (const c of cs) expect(helmReleases(c.namespace!)).toEqual([c.releaseName]);
    await dropFromHost(cs);
  });

  it("a template whose values break the chart ends FAILED with helm's error, and can be retried", async () => {
    const sandbox = await host.prisma.template.findUniqueOrThrow({ where: { slug: "sandbox" }, include: { versions: true } });
    const broken = await host.prisma.template.create({
      data: {
        slug: `broken-${slug}`,
        name: "Broken",
        description: "values the chart cannot render",
        versions: {
          create: {
            version: 1,
            ...pick(sandbox.versions[0]!),
            // replicas must be an integer (written past the template check, as an old or hand-made row could be).
            valuesYaml: "controlPlane:\n  statefulSet:\n    highAvailability:\n      replicas: many\n",
          },
        },
      },
      include: { versions: true },
    });
    startWorker();
    const c = await request(broken.slug);
    const failed = await waitForPhase(host.prisma, c.id, "FAILED", 90_000);
    expect(failed.lastError).toMatch(/^Helm: /);
    // the real chart's values.schema.json refuses it before anything is rendered
    expect(failed.lastError).toMatch(/values don't meet the specifications of the schema.*replicas/);
    console.info(`[lastError] ${failed.lastError}`);

    // Retrying the same values fails the same way (helm runs again)…
    await retryCluster(host.team.member, { clusterId: c.id });
    const again = await waitForPhase(host.prisma, c.id, "FAILED", 90_000);
    expect((await eventTypes(c.id)).filter((t) => t === "failed")).toHaveLength(2);
    expect(again.lastError).toMatch(/^Helm: values don't meet the specifications of the schema.*replicas/);
    console.info(`[lastError after retry] ${again.lastError}`);
    // …and once the values are fixed (test shortcut for "an admin publishes a fixed version"), it recovers.
    await host.prisma.templateVersion.update({ where: { id: broken.versions[0]!.id }, data: { valuesYaml: "" } });
    await retryCluster(host.team.member, { clusterId: c.id });
    await waitForPhase(host.prisma, c.id, "READY", 90_000);
    expect(helmReleases(c.namespace!)).toEqual([c.releaseName]);
    await dropFromHost([c]);
  });
});

function pick(v: { kubernetesVersion: string; chartVersion: string; cpuMillicores: number; memoryMiB: number; defaultTtlHours: number; maxTtlHours: number; parameters: unknown }) {
  return {
    kubernetesVersion: v.kubernetesVersion,
    chartVersion: v.chartVersion,
    cpuMillicores: v.cpuMillicores,
    memoryMiB: v.memoryMiB,
    defaultTtlHours: v.defaultTtlHours,
    maxTtlHours: v.maxTtlHours,
    parameters: v.parameters as object,
  };
}

/** A TCP proxy that can refuse connections (down) and accept them again (up) on the same port. */
class FlakyProxy {
  private server: net.Server | null = null;
  private sockets = new Set<net.Socket>();
  private port = 0;
  constructor(
    private readonly host: string,
    private readonly targetPort: number,
  ) {}

  async listen(port = 0): Promise<number> {
    const server = net.createServer((client) => {
      const upstream = net.connect(this.targetPort, this.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on("close", () => this.sockets.delete(s));
        s.on("error", () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", () => resolve()));
    this.port = (server.address() as net.AddressInfo).port;
    return this.port;
  }

  down() {
    const s = this.server;
    this.server = null;
    s?.close();
    for (const sock of this.sockets) sock.destroy();
  }

  up() {
    void this.listen(this.port);
  }

  async close() {
    this.down();
  }
}
