// The helm driver's process and pending-release handling against the real local host cluster and the real
// helm binary: an aborted operation kills its helm process at once; a release left pending-* is repaired
// exactly when the caller says it is abandoned (the reconciler: no other live claim), whatever its timestamps.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientFor, helmBin, testHostKubeconfig, testSpec, uniqueTeam } from "@/scripts/vcluster-emulator/testing";
import { deleteIfExists } from "../apply";
import { kubeClientFromConfig, type KubeClient } from "../client";
import { ensureHostObjects } from "../ensure-host-objects";
import { HelmDriver, HelmError } from "./helm";
import { markReleasePending, processesWith, startHungServer } from "@/scripts/testenv/helm-faults";

const team = uniqueTeam("hlc");
let client: KubeClient;
let hung: Awaited<ReturnType<typeof startHungServer>>;
const namespaces: string[] = [];

beforeAll(async () => {
  client = clientFor(await testHostKubeconfig());
  hung = await startHungServer();
});

afterAll(async () => {
  await hung?.stop();
  for (const name of namespaces) await deleteIfExists(client, { apiVersion: "v1", kind: "Namespace", metadata: { name } });
});

describe("an aborted helm operation", () => {
  it("kills the helm process at once and rejects with the abort's reason", async () => {
    const spec = testSpec(team, "killed");
    const abort = new AbortController();
    // helm against an API server that never answers: it would wait for its own timeouts.
    const stuck = kubeClientFromConfig(hung.kubeconfig(), { id: "hung", qps: 10, burst: 10 }).withSignal(abort.signal);
    const driver = new HelmDriver(stuck, { helmBin: helmBin(), timeoutSeconds: 120 });
    const installing = driver.install(spec).catch((e: unknown) => e);
    const deadline = Date.now() + 10_000;
    let pids: number[] = [];
    while (!pids.length && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      pids = processesWith(helmBin(), spec.namespace);
    }
    expect(pids).toHaveLength(1);
    const reason = new Error("lease lost");
    const t0 = Date.now();
    abort.abort(reason);
    expect(await installing).toBe(reason);
    expect(Date.now() - t0).toBeLessThan(6_000);
    expect(processesWith(helmBin(), spec.namespace)).toEqual([]);
    expect(() => process.kill(pids[0]!, 0)).toThrow(/ESRCH/);
    // A client already aborted starts no helm at all.
    await expect(driver.install(spec)).rejects.toBe(reason);
  });
});

describe("a release left pending by an interrupted helm", () => {
  const spec = testSpec(team, "pending");
  let driver: HelmDriver;

  beforeAll(async () => {
    namespaces.push(spec.namespace);
    driver = new HelmDriver(client, { helmBin: helmBin(), timeoutSeconds: 120 });
    await ensureHostObjects(client, spec);
    await driver.install(spec);
  });

  it("is left alone while someone else may be working on it, even when helm's timestamp looks ancient", async () => {
    await markReleasePending(client, spec.namespace, spec.releaseName, "pending-upgrade", new Date(Date.now() - 24 * 3600_000));
    const err = await driver.install(spec, { releaseAbandoned: async () => false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HelmError);
    expect((err as HelmError).message).toBe(`release ${spec.releaseName} is pending-upgrade (another helm operation is in progress); retrying later`);
    expect(await driver.status(spec)).toMatchObject({ installed: true, ready: false, message: expect.stringMatching(/^helm release is pending-upgrade/) });
    // No caller verdict at all: the same, never a guess from the clock.
    await expect(driver.install(spec)).rejects.toThrow(/another helm operation is in progress/);
  });

  it("is repaired at once when abandoned, even when helm's timestamp is in this machine's future (skewed clocks)", async () => {
    await markReleasePending(client, spec.namespace, spec.releaseName, "pending-upgrade", new Date(Date.now() + 3600_000));
    let asked = 0;
    await driver.install(spec, { releaseAbandoned: async () => (++asked, true) });
    expect(asked).toBe(1);
    expect(await driver.status(spec)).toMatchObject({ installed: true, ready: true, helm: { status: "deployed" } });
  });

  it("removes an abandoned first install and installs again", async () => {
    const first = testSpec(team, "pending-first");
    namespaces.push(first.namespace);
    await ensureHostObjects(client, first);
    await driver.install(first);
    await markReleasePending(client, first.namespace, first.releaseName, "pending-install", new Date());
    await driver.install(first, { releaseAbandoned: async () => true });
    expect(await driver.status(first)).toMatchObject({ installed: true, ready: true, helm: { status: "deployed" } });
  });
});
