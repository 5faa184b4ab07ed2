import { ApiextensionsV1Api, CoreV1Api, CustomObjectsApi, KubeConfig } from "@kubernetes/client-node";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IN_POD_SERVER, startEmulator, type Emulator } from "@/scripts/vcluster-emulator/emulator";
import { clientFor, helmBin, testHostKubeconfig, testSpec, throughRoute, uniqueTeam, waitFor } from "@/scripts/vcluster-emulator/testing";
import type { KubeClient } from "./client";
import type { ClusterSpec } from "./cluster-spec";
import { HelmDriver } from "./drivers/helm";
import { orNull, toKubeError } from "./errors";
import { publicServerFor, readKubeconfig } from "./vcluster-kubeconfig";
import { ensureHostObjects } from "./ensure-host-objects";
import { observe } from "./vcluster-control-plane";
import { deleteAll } from "./vcluster-delete";
import { sleep, wake } from "./vcluster-sleep";

// THE isolation test (the seed article's step 3): a virtual cluster's kubeconfig, as the portal serves it,
// reaches a separate API server where the tenant can install CRDs that do not exist on the host.

let hostKubeconfig: string;
let client: KubeClient;
let driver: HelmDriver;

function apisOf(kc: KubeConfig) {
  return { kc, core: kc.makeApiClient(CoreV1Api), apiext: kc.makeApiClient(ApiextensionsV1Api), custom: kc.makeApiClient(CustomObjectsApi) };
}

/** A spec whose control plane exports a public address (exportKubeConfig.server), as the host's endpoint pattern gives. */
function exporting(spec: ClusterSpec): ClusterSpec {
  return { ...spec, exportServer: `https://${spec.releaseName}.${spec.namespace}.vc.example.test` };
}

async function provision(spec: ClusterSpec) {
  await ensureHostObjects(client, spec);
  await driver.install(spec);
}

const widgetsCrd = {
  apiVersion: "apiextensions.k8s.io/v1",
  kind: "CustomResourceDefinition",
  metadata: { name: "widgets.isolation.vcluster-portal.dev" },
  spec: {
    group: "isolation.vcluster-portal.dev",
    scope: "Namespaced",
    names: { kind: "Widget", plural: "widgets", singular: "widget", listKind: "WidgetList" },
    versions: [{ name: "v1", served: true, storage: true, schema: { openAPIV3Schema: { type: "object", x_kubernetes_preserve_unknown_fields: true } } }],
  },
};

beforeAll(async () => {
  hostKubeconfig = await testHostKubeconfig();
  client = clientFor(hostKubeconfig);
  driver = new HelmDriver(client, { helmBin: helmBin(), timeoutSeconds: 120 });
});

describe("dedicated emulator: one real API server per virtual cluster", () => {
  const team = uniqueTeam("iso");
  const a = exporting(testSpec(team, "alpha"));
  const b = exporting(testSpec(team, "beta"));
  const c = testSpec(team, "gamma"); // exports nothing
  let emulator: Emulator;
  /** The served kubeconfig, connected through the host's route to it (as a user's kubectl would be). */
  const virtualApis = (yaml: string, spec: ClusterSpec) => apisOf(throughRoute(yaml, emulator, spec.namespace, spec.releaseName));

  beforeAll(async () => {
    emulator = await startEmulator({ hostKubeconfig, namespacePrefix: `vc-${team}-`, pollMs: 500, log: () => {} });
    await Promise.all([provision(a), provision(b), provision(c)]);
    await waitFor("the virtual clusters ready", async () => (await observe(client, a)).ready && (await observe(client, b)).ready && (await observe(client, c)).ready, 120_000, 1000);
  });

  afterAll(async () => {
    for (const s of [a, b, c]) await waitFor(`${s.name} deleted`, async () => (await deleteAll(client, driver, s)).gone, 120_000, 1000).catch(() => {});
    await emulator?.stop();
  });

  it("the served kubeconfig reaches the virtual cluster; its CRDs and namespaces do not exist on the host", async () => {
    const text = await readKubeconfig(client, a, null);
    const doc = parse(text);
    expect(doc["current-context"]).toBe(`${team}-alpha`);
    expect(doc.clusters).toHaveLength(1);
    expect(doc.clusters[0].cluster.server).toBe(a.exportServer);

    const v = virtualApis(text, a);
    const nsNames = (await v.core.listNamespace()).items.map((n) => n.metadata?.name);
    expect(nsNames).toEqual(expect.arrayContaining(["default", "kube-system"]));
    expect(nsNames).not.toContain(a.namespace); // the host's namespaces are not visible inside

    await v.apiext.createCustomResourceDefinition({ body: widgetsCrd as never });
    await waitFor("Widget CRD established in the virtual cluster", async () =>
      (await v.apiext.readCustomResourceDefinition({ name: widgetsCrd.metadata.name })).status?.conditions?.some((c) => c.type === "Established" && c.status === "True"),
    );
    await v.core.createNamespace({ body: { metadata: { name: "tenant-only" } } });
    await v.custom.createNamespacedCustomObject({
      group: "isolation.vcluster-portal.dev",
      version: "v1",
      namespace: "tenant-only",
      plural: "widgets",
      body: { apiVersion: "isolation.vcluster-portal.dev/v1", kind: "Widget", metadata: { name: "w1" }, spec: { size: 3 } },
    });
    expect((await v.apiext.readCustomResourceDefinition({ name: widgetsCrd.metadata.name })).metadata?.name).toBe(widgetsCrd.metadata.name);

    // ...and on the host: neither the CRD nor the namespace
    expect(await orNull(client.apiext.readCustomResourceDefinition({ name: widgetsCrd.metadata.name }))).toBeNull();
    expect(await orNull(client.core.readNamespace({ name: "tenant-only" }))).toBeNull();
  });

  it("a second virtual cluster is a different API server without the first one's CRD", async () => {
    const ka = parse(await readKubeconfig(client, a, null));
    const kb = parse(await readKubeconfig(client, b, null));
    expect(kb.clusters[0].cluster.server).not.toBe(ka.clusters[0].cluster.server);
    expect(kb.clusters[0].cluster["certificate-authority-data"]).not.toBe(ka.clusters[0].cluster["certificate-authority-data"]);
    const vb = virtualApis(await readKubeconfig(client, b, null), b);
    expect(await orNull(vb.apiext.readCustomResourceDefinition({ name: widgetsCrd.metadata.name }))).toBeNull();
    // a's admin certificate is not accepted by b's API server
    const cross = virtualApis(
      (await readKubeconfig(client, a, null)).replace(ka.clusters[0].cluster.server, kb.clusters[0].cluster.server).replace(
        ka.clusters[0].cluster["certificate-authority-data"],
        kb.clusters[0].cluster["certificate-authority-data"],
      ),
      b,
    );
    const denied = await cross.core.listNamespace().then(() => null, (e: unknown) => toKubeError(e));
    expect(denied?.kind).toBe("Unauthorized");

    const servers = emulator.servers();
    expect(servers.map((s) => s.name).sort()).toEqual([`${a.namespace}/${a.releaseName}`, `${b.namespace}/${b.releaseName}`, `${c.namespace}/${c.releaseName}`]);
    for (const s of servers) {
      expect(s.rssKiB).toBeGreaterThan(10_000);
      console.info(`[rss] dedicated kube-apiserver ${s.name}: ${Math.round(s.rssKiB! / 1024)} MiB`);
    }
  });

  it("rewrites the server to the host's public endpoint pattern and names everything after the cluster", async () => {
    const pub = publicServerFor("https://{release}.{namespace}.{team}.vc.example.com:443", a);
    expect(pub).toBe(`https://alpha.${a.namespace}.${team}.vc.example.com:443`);
    const doc = parse(await readKubeconfig(client, a, pub));
    expect(doc.clusters).toEqual([{ name: `${team}-alpha`, cluster: expect.objectContaining({ server: pub }) }]);
    expect(doc.users[0].name).toBe(`${team}-alpha`);
    expect(doc.users[0].user["client-certificate-data"]).toBeTruthy();
    expect(doc.contexts).toEqual([{ name: `${team}-alpha`, context: { cluster: `${team}-alpha`, user: `${team}-alpha` } }]);
    // no pattern: the exported server of the spec wins, else the secret's own
    expect(parse(await readKubeconfig(client, { ...a, exportServer: "https://x.example" }, null)).clusters[0].cluster.server).toBe("https://x.example");
  });

  it("a cluster that exports no address names https://localhost:8443, as vCluster does, and no route reaches it", async () => {
    const text = await readKubeconfig(client, c, null);
    expect(parse(text).clusters[0].cluster.server).toBe(IN_POD_SERVER);
    expect(() => throughRoute(text, emulator, c.namespace, c.releaseName)).toThrow(/inside the control-plane pod/);
  });

  it("sleep stops the virtual API server; wake brings it back with its data", async () => {
    const kubeconfig = await readKubeconfig(client, a, null);
    const v = virtualApis(kubeconfig, a);
    await sleep(client, a);
    await waitFor("virtual API server down", async () => (await v.core.listNamespace().then(() => null, (e: unknown) => toKubeError(e)))?.kind === "Unavailable", 60_000);
    expect(await observe(client, a)).toMatchObject({ paused: true, ready: false });

    await wake(client, a);
    await waitFor("ready again and routed", async () => (await observe(client, a)).ready && emulator.route(a.namespace, a.releaseName) !== null, 120_000, 1000);
    const again = virtualApis(await readKubeconfig(client, a, null), a);
    await waitFor("virtual API server answering", async () => (await again.core.listNamespace()).items.length > 0, 30_000);
    expect((await again.apiext.readCustomResourceDefinition({ name: widgetsCrd.metadata.name })).metadata?.name).toBe(widgetsCrd.metadata.name);
    const w = (await again.custom.getNamespacedCustomObject({ group: "isolation.vcluster-portal.dev", version: "v1", namespace: "tenant-only", plural: "widgets", name: "w1" })) as { spec: unknown };
    expect(w.spec).toEqual({ size: 3 });
  });
});

describe("light emulator: one shared API server (not isolated)", () => {
  const team = uniqueTeam("lite");
  const a = testSpec(team, "one");
  const b = testSpec(team, "two");
  let emulator: Emulator;

  beforeAll(async () => {
    emulator = await startEmulator({ hostKubeconfig, light: true, namespacePrefix: `vc-${team}-`, pollMs: 500, log: () => {} });
    await Promise.all([provision(a), provision(b)]);
    await waitFor("both ready", async () => (await observe(client, a)).ready && (await observe(client, b)).ready, 120_000, 1000);
  });

  afterAll(async () => {
    for (const s of [a, b]) await waitFor(`${s.name} deleted`, async () => (await deleteAll(client, driver, s)).gone, 120_000, 1000).catch(() => {});
    await emulator?.stop();
  });

  it("serves every virtual cluster from the same API server, and says so on the Secret", async () => {
    const servers = emulator.servers();
    expect(servers).toHaveLength(1);
    expect(servers[0]!.name).toBe("vcluster-emulator-shared");
    expect(servers[0]!.clusters.sort()).toEqual([`${a.namespace}/${a.releaseName}`, `${b.namespace}/${b.releaseName}`]);
    console.info(`[rss] shared kube-apiserver serving 2 clusters: ${Math.round(servers[0]!.rssKiB! / 1024)} MiB`);
    const sa = parse(await readKubeconfig(client, a, null)).clusters[0].cluster.server;
    const sb = parse(await readKubeconfig(client, b, null)).clusters[0].cluster.server;
    expect(sa).toBe(sb);
    const secret = await client.core.readNamespacedSecret({ name: `vc-${a.releaseName}`, namespace: a.namespace });
    expect(secret.metadata?.annotations?.["vcluster-portal.dev/emulator-mode"]).toMatch(/NOT isolated/);
  });
});
