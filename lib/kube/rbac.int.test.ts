import fs from "node:fs";
import https from "node:https";
import path from "node:path";
import { KubeConfig, type V1Secret } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientFor, helmBin, testChartRepo, testHostKubeconfig, testSpec, uniqueTeam, waitFor } from "@/scripts/vcluster-emulator/testing";
import { applyAll, applyObject, getOrNull, loadManifests } from "./apply";
import { kubeClientFromConfig, type KubeClient } from "./client";
import { FluxDriver } from "./drivers/flux";
import { HelmDriver } from "./drivers/helm";
import { toKubeError } from "./errors";
import { deleteAll, ensureHostObjects, observe, readKubeconfig, removeWorkloadPods, sleep, wake } from "./vcluster-ops";

// Provisions a virtual cluster end to end as the portal's own ServiceAccount, bound to nothing but
// deploy/rbac/portal-clusterrole.yaml, with a TokenRequest token: proves the ClusterRole's verbs suffice
// (and that the dangerous ones are absent). Also checks the APF FlowSchema classifies the portal's requests.

const SA = { name: "vcluster-portal", namespace: "vcluster-portal" };
const team = uniqueTeam("rbac");
const specs = [testSpec(team, "least-priv"), testSpec(team, "least-priv-old", { chart: { repo: testChartRepo(), name: "vcluster", version: "0.30.0" }, kubernetesVersion: "1.34" })];
const fluxSpec = testSpec(team, "least-flux");

let admin: KubeClient;
let portal: KubeClient;
let token: string;
let server: string;
let ca: Buffer;

const manifest = (rel: string) => loadManifests(fs.readFileSync(path.join(process.cwd(), rel), "utf8"));

beforeAll(async () => {
  const hostKubeconfig = await testHostKubeconfig();
  admin = clientFor(hostKubeconfig, "admin");
  await applyAll(admin, [
    ...manifest("deploy/rbac/portal-clusterrole.yaml"),
    ...manifest("deploy/apf/flowschema.yaml"),
    ...manifest("deploy/test-crds/helmreleases.helm.toolkit.fluxcd.io.yaml"),
    ...manifest("deploy/test-crds/helmrepositories.source.toolkit.fluxcd.io.yaml"),
    { apiVersion: "v1", kind: "Namespace", metadata: { name: SA.namespace } },
  ]);
  await applyObject(admin, { apiVersion: "v1", kind: "ServiceAccount", metadata: SA });
  const tr = await admin.core.createNamespacedServiceAccountToken({ ...SA, body: { spec: { audiences: [], expirationSeconds: 3600 } } });
  if (!tr.status?.token) throw new Error("TokenRequest returned no token");
  token = tr.status.token;

  const adminKc = new KubeConfig();
  adminKc.loadFromFile(hostKubeconfig);
  const cluster = adminKc.getCurrentCluster()!;
  server = cluster.server;
  ca = Buffer.from(cluster.caData!, "base64");
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: "host", server, caData: cluster.caData }],
    users: [{ name: "portal", token }],
    contexts: [{ name: "portal", cluster: "host", user: "portal" }],
    currentContext: "portal",
  });
  portal = kubeClientFromConfig(kc, { id: "portal-sa", qps: 50, burst: 100 });
  // RBAC caches settle quickly, but not instantly, after a fresh binding
  await waitFor("binding effective", async () => (await portal.core.listNamespace().then(() => true)), 30_000);
});

afterAll(async () => {
  for (const s of [...specs, fluxSpec]) {
    await waitFor(`${s.name} deleted`, async () => (await deleteAll(admin, new HelmDriver(admin, { helmBin: helmBin(), timeoutSeconds: 60 }), s)).gone, 90_000, 1000).catch(() => {});
  }
});

describe("the portal's ServiceAccount with deploy/rbac/portal-clusterrole.yaml only", () => {
  it.each(specs.map((s) => [s.chart.version, s] as const))("installs the real chart %s with helm, observes, sleeps, wakes, reads the kubeconfig and deletes", async (_, spec) => {
    const helm = new HelmDriver(portal, { helmBin: helmBin(), timeoutSeconds: 120 });
    await ensureHostObjects(portal, spec);
    await ensureHostObjects(portal, spec);
    await helm.install(spec);
    expect(await helm.status(spec)).toEqual({ installed: true, ready: true });
    await waitFor("control plane ready", async () => (await observe(portal, spec)).controlPlane?.readyReplicas === 1, 120_000);
    // The chart's own RBAC exists: created by this identity, so it held every permission it granted.
    await admin.rbac.readNamespacedRole({ name: `vc-${spec.releaseName}`, namespace: spec.namespace });
    if (spec.chart.version === "0.30.0") await admin.rbac.readClusterRole({ name: `vc-${spec.releaseName}-v-${spec.namespace}` });

    // the control plane would write this Secret; the portal only reads it
    const kubeconfig = `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: https://localhost:8443\ncontexts:\n- name: c\n  context: {cluster: c, user: u}\ncurrent-context: c\nusers:\n- name: u\n  user: {token: t}\n`;
    const secret: V1Secret = { apiVersion: "v1", kind: "Secret", metadata: { name: `vc-${spec.releaseName}`, namespace: spec.namespace }, data: { config: Buffer.from(kubeconfig).toString("base64") } };
    await admin.core.createNamespacedSecret({ namespace: spec.namespace, body: secret });
    expect(await readKubeconfig(portal, spec, "https://public.example:443")).toContain("server: https://public.example:443");
    expect((await observe(portal, spec)).ready).toBe(true);

    expect(await sleep(portal, spec)).toBe(true);
    expect((await observe(portal, spec)).controlPlane?.replicas).toBe(0);
    await waitFor("workload pods removed as the portal", async () => (await removeWorkloadPods(portal, spec)) === 0);
    expect(await wake(portal, spec)).toBe(true);
    expect((await observe(portal, spec)).controlPlane?.replicas).toBe(1);

    await helm.install(spec); // an upgrade, too
    await waitFor("deleted as the portal", async () => (await deleteAll(portal, helm, spec)).gone, 90_000, 1000);
  });

  it("drives the flux driver", async () => {
    const flux = new FluxDriver(portal);
    await ensureHostObjects(portal, fluxSpec);
    await flux.install(fluxSpec);
    expect((await flux.status(fluxSpec)).installed).toBe(true);
    expect(await flux.uninstall(fluxSpec)).toEqual({ gone: true });
  });

  it("is refused what it must not do", async () => {
    const refused = async (p: Promise<unknown>) => (await p.then(() => null, (e: unknown) => toKubeError(e)))?.kind;
    // grant itself cluster-admin
    expect(
      await refused(
        portal.rbac.createClusterRoleBinding({
          body: { metadata: { name: `escalate-${team}` }, roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "cluster-admin" }, subjects: [{ kind: "ServiceAccount", ...SA }] },
        }),
      ),
    ).toBe("Forbidden");
    // a Role with more than it holds
    expect(
      await refused(
        portal.rbac.createNamespacedRole({ namespace: SA.namespace, body: { metadata: { name: `wide-${team}` }, rules: [{ apiGroups: ["*"], resources: ["*"], verbs: ["*"] }] } }),
      ),
    ).toBe("Forbidden");
    expect(await refused(portal.apiext.createCustomResourceDefinition({ body: { metadata: { name: "x.example.com" } } as never }))).toBe("Forbidden");
    expect(await refused(portal.core.deleteNode({ name: "kwok-node-0" }))).toBe("Forbidden");
    expect(await refused(portal.core.createNamespacedServiceAccountToken({ ...SA, body: { spec: { audiences: [] } } }))).toBe("Forbidden");
  });

  it("is classified by the vcluster-portal FlowSchema (API Priority and Fairness)", async () => {
    const fs = await getOrNull<{ metadata: { uid: string }; apiVersion: string; kind: string }>(admin, {
      apiVersion: "flowcontrol.apiserver.k8s.io/v1",
      kind: "FlowSchema",
      metadata: { name: "vcluster-portal" },
    });
    const headers = await new Promise<Record<string, string | string[] | undefined>>((resolve, reject) => {
      https
        .get(`${server}/api/v1/namespaces/${SA.namespace}`, { ca, headers: { Authorization: `Bearer ${token}` } }, (res) => {
          res.resume();
          resolve(res.headers);
        })
        .on("error", reject);
    });
    expect(headers["x-kubernetes-pf-flowschema-uid"]).toBe(fs!.metadata.uid);
  });
});
