// The emulator refuses what the open-source control plane refuses: a config that turns on a licensed feature
// (here embedded etcd, written straight into a spec as if a template had slipped past the save-time check). The
// real chart renders it and kwok starts the pod, but vCluster would exit with its "pro feature" error, so no
// kubeconfig Secret appears — while a clean cluster beside it is served. The same config on a host with a licence
// (the licensed image and the Secret vcluster-platform-api-key the portal writes) is served, as vCluster Platform
// would allow it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KubeClient } from "@/lib/kube/client";
import { HelmDriver } from "@/lib/kube/drivers/helm";
import { ensureHostObjects } from "@/lib/kube/ensure-host-objects";
import { orNull } from "@/lib/kube/errors";
import { buildVclusterValuesObject } from "@/lib/kube/host-objects";
import { observe } from "@/lib/kube/vcluster-control-plane";
import { deleteAll } from "@/lib/kube/vcluster-delete";
import { startEmulator, type Emulator } from "./emulator";
import { clientFor, helmBin, testHostKubeconfig, testSpec, uniqueTeam, waitFor } from "./testing";

const EMBEDDED_ETCD = "controlPlane:\n  backingStore:\n    etcd:\n      embedded:\n        enabled: true\n";

describe("the emulator and licensed features", () => {
  const team = uniqueTeam("lic");
  const licensed = testSpec(team, "pro", { templateValuesYaml: EMBEDDED_ETCD });
  const clean = testSpec(team, "oss");
  const withLicence = testSpec(team, "lic", {
    templateValuesYaml: EMBEDDED_ETCD,
    platform: { host: "platform.example.com", accessKey: "emulated-access-key", project: "default", insecure: false },
  });
  const logs: string[] = [];
  let client: KubeClient;
  let driver: HelmDriver;
  let emulator: Emulator;

  beforeAll(async () => {
    client = clientFor(await testHostKubeconfig());
    driver = new HelmDriver(client, { helmBin: helmBin(), timeoutSeconds: 120 });
    emulator = await startEmulator({ hostKubeconfig: await testHostKubeconfig(), light: true, namespacePrefix: `vc-${team}-`, pollMs: 300, log: (l) => logs.push(l) });
    for (const spec of [licensed, clean, withLicence]) {
      await ensureHostObjects(client, spec);
      await driver.install(spec);
    }
  });

  afterAll(async () => {
    for (const s of [licensed, clean, withLicence]) await waitFor(`${s.name} deleted`, async () => (await deleteAll(client, driver, s)).gone, 120_000, 1000).catch(() => {});
    await emulator?.stop();
  });

  it("never serves a control plane whose config asks for embedded etcd, and says why as vCluster does", async () => {
    await waitFor("the clean cluster served", async () => (await observe(client, clean)).ready, 120_000, 1000);
    await waitFor(
      "the licensed cluster's pod ready (kwok)",
      async () => ((await client.apps.readNamespacedStatefulSet({ name: licensed.releaseName, namespace: licensed.namespace })).status?.readyReplicas ?? 0) >= 1,
      120_000,
      1000,
    );
    await emulator.settled();
    expect(await orNull(client.core.readNamespacedSecret({ name: `vc-${licensed.releaseName}`, namespace: licensed.namespace }))).toBeNull();
    expect((await observe(client, licensed)).ready).toBe(false);
    expect(logs.some((l) => l.includes(licensed.namespace) && l.includes("pro feature 'embedded etcd'"))).toBe(true);
  });

  it("serves it on a host with a licence: the licensed image reading the Secret vcluster-platform-api-key", async () => {
    expect((buildVclusterValuesObject(withLicence) as { controlPlane: { statefulSet: { image: { repository: string } } } }).controlPlane.statefulSet.image.repository).toBe(
      "loft-sh/vcluster-pro",
    );
    await waitFor("the cluster with a licence served", async () => (await observe(client, withLicence)).ready, 120_000, 1000);
    const sts = await client.apps.readNamespacedStatefulSet({ name: withLicence.releaseName, namespace: withLicence.namespace });
    expect(sts.spec?.template.spec?.containers.find((c) => c.name === "syncer")?.image).toMatch(/\/loft-sh\/vcluster-pro:/);
    const key = await client.core.readNamespacedSecret({ name: "vcluster-platform-api-key", namespace: withLicence.namespace });
    expect(Buffer.from(key.data!.accessKey!, "base64").toString()).toBe("emulated-access-key");
    expect(Buffer.from(key.data!.host!, "base64").toString()).toBe("platform.example.com");
  });
});
