import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { serveChartRepository, vclusterChartsDir } from "@/scripts/k8s/chart-repo";
import { PatchStrategy, setHeaderOptions, type KubernetesObject, type V1Pod } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_CHART_VERSION, clientFor, helmBin, testChartRepo, testHostKubeconfig, testSpec, uniqueTeam, waitFor } from "@/scripts/vcluster-emulator/testing";
import { LIMIT_RANGE_NAME, RESOURCE_QUOTA_NAME } from "../host-objects";
import { applyAll, deleteIfExists, getOrNull, loadManifests } from "../apply";
import type { KubeClient } from "../client";
import { ensureHostObjects } from "../ensure-host-objects";
import { MANAGED_BY_POD_LABEL, PAUSED_ANNOTATION, PAUSED_DATE_ANNOTATION, PAUSED_REPLICAS_ANNOTATION, observe } from "../vcluster-control-plane";
import { deleteAll } from "../vcluster-delete";
import { removeWorkloadPods, sleep, wake } from "../vcluster-sleep";
import { driverFor } from "./driver-for";
import { FluxDriver, FluxDriverError, HELM_RELEASE_API, HELM_REPOSITORY_API, helmRepositoryName, type HelmReleaseObject } from "./flux";
import { HelmDriver, HelmError } from "./helm";

const team = uniqueTeam("drv");
let client: KubeClient;
const namespaces: string[] = [];

beforeAll(async () => {
  client = clientFor(await testHostKubeconfig());
});

afterAll(async () => {
  for (const name of namespaces) await deleteIfExists(client, { apiVersion: "v1", kind: "Namespace", metadata: { name } });
});

describe("helm driver with the real vcluster chart from the local chart repository", () => {
  const spec = testSpec(team, "helm-one");
  let driver: HelmDriver;

  beforeAll(async () => {
    namespaces.push(spec.namespace);
    driver = new HelmDriver(client, { helmBin: helmBin(), timeoutSeconds: 120 });
    await ensureHostObjects(client, spec);
  });

  it("installs idempotently; the control plane passes Pod Security admission, claims its volume and becomes ready (kwok)", async () => {
    expect(await driver.status(spec)).toEqual({ installed: false, ready: false, message: "no helm release" });
    await driver.install(spec);
    await driver.install(spec); // a second upgrade --install of the same values is fine
    expect(await driver.status(spec)).toEqual({ installed: true, ready: true, helm: { status: "deployed", revision: 2 } });

    const obs = await waitFor("control plane ready", async () => {
      const o = await observe(client, spec);
      return o.controlPlane && o.controlPlane.readyReplicas >= 1 ? o : null;
    }, 120_000);
    // The embedded database is persisted: the chart renders a StatefulSet with a volume claim.
    expect(obs).toMatchObject({ namespace: "present", controlPlane: { kind: "StatefulSet", replicas: 1, readyReplicas: 1 }, secretExists: false, ready: false });

    const sts = await client.apps.readNamespacedStatefulSet({ name: spec.releaseName, namespace: spec.namespace });
    expect(sts.metadata?.labels).toMatchObject({ app: "vcluster", release: spec.releaseName, chart: `vcluster-${TEST_CHART_VERSION}` });
    const pod = sts.spec!.template.spec!;
    const syncer = pod.containers.find((c) => c.name === "syncer")!;
    expect(syncer.image).toBe(`ghcr.io/loft-sh/vcluster-oss:${TEST_CHART_VERSION}`); // not the licensed vcluster-pro
    expect(syncer.env).toEqual(
      expect.arrayContaining([
        { name: "VCLUSTER_PHYSICAL_CLIENT_QPS", value: "10" },
        { name: "VCLUSTER_PHYSICAL_CLIENT_BURST", value: "20" },
      ]),
    );
    expect((pod.initContainers ?? []).map((c) => c.image)).toContain("ghcr.io/loft-sh/kubernetes:v1.36.0");
    const pvcs = await client.core.listNamespacedPersistentVolumeClaim({ namespace: spec.namespace });
    expect(pvcs.items.map((c) => c.status?.phase)).toEqual(["Bound"]);
    await client.core.readNamespacedSecret({ name: `vc-config-${spec.releaseName}`, namespace: spec.namespace });

    // Exactly one quota and one limit range: the portal's, sized from the cluster (the chart's are disabled).
    const quotas = await client.core.listNamespacedResourceQuota({ namespace: spec.namespace });
    expect(quotas.items.map((q) => [q.metadata?.name, q.spec?.hard])).toEqual([[RESOURCE_QUOTA_NAME, { "requests.cpu": "2", "requests.memory": "4Gi" }]]);
    const limits = await client.core.listNamespacedLimitRange({ namespace: spec.namespace });
    expect(limits.items.map((l) => l.metadata?.name)).toEqual([LIMIT_RANGE_NAME]);
    expect(limits.items[0]!.spec?.limits[0]).toMatchObject({ type: "Container", defaultRequest: { cpu: "100m", memory: "128Mi" }, _default: { memory: "512Mi" } });
  });

  it("a host namespace enforcing `restricted` refuses the real control plane (why the portal enforces baseline there)", async () => {
    const strict = testSpec(team, "helm-strict");
    namespaces.push(strict.namespace);
    await ensureHostObjects(client, strict);
    await client.core.patchNamespace(
      { name: strict.namespace, body: { metadata: { labels: { "pod-security.kubernetes.io/enforce": "restricted" } } } },
      setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
    );
    await driver.install(strict);
    const refused = await waitFor("pod creation refused", async () => {
      const events = await client.core.listNamespacedEvent({ namespace: strict.namespace });
      return events.items.find((e) => e.reason === "FailedCreate" && /violates PodSecurity "restricted/.test(e.message ?? ""));
    }, 60_000);
    expect(refused.message).toMatch(/runAsNonRoot|allowPrivilegeEscalation|seccompProfile/);
    expect((await observe(client, strict)).controlPlane?.readyReplicas).toBe(0);
  });

  it("without persistence (etcd deployed beside it) the control plane is a Deployment; sleep and wake cover it and its etcd", async () => {
    const dep = testSpec(team, "helm-deploy", {
      templateValuesYaml: "controlPlane:\n  backingStore:\n    etcd:\n      deploy:\n        enabled: true\n",
    });
    namespaces.push(dep.namespace);
    await ensureHostObjects(client, dep);
    await driver.install(dep);
    await waitFor("Deployment ready", async () => (await observe(client, dep)).controlPlane?.readyReplicas === 1, 120_000);
    expect((await observe(client, dep)).controlPlane?.kind).toBe("Deployment");
    const etcd = await client.apps.readNamespacedStatefulSet({ name: `${dep.releaseName}-etcd`, namespace: dep.namespace });
    expect(etcd.metadata?.labels).toMatchObject({ app: "vcluster-etcd", release: dep.releaseName });

    expect(await sleep(client, dep)).toBe(true);
    const paused = await client.apps.readNamespacedDeployment({ name: dep.releaseName, namespace: dep.namespace });
    expect(paused.spec?.replicas).toBe(0);
    expect(paused.metadata?.annotations?.[PAUSED_ANNOTATION]).toBe("true");
    expect((await client.apps.readNamespacedStatefulSet({ name: `${dep.releaseName}-etcd`, namespace: dep.namespace })).spec?.replicas).toBe(0);

    expect(await wake(client, dep)).toBe(true);
    expect((await client.apps.readNamespacedDeployment({ name: dep.releaseName, namespace: dep.namespace })).spec?.replicas).toBe(1);
    expect((await client.apps.readNamespacedStatefulSet({ name: `${dep.releaseName}-etcd`, namespace: dep.namespace })).spec?.replicas).toBe(1);
  });

  it("sleep scales to zero with the loft.sh/paused* annotations; workload pods go only once no control plane replica is left", async () => {
    const synced: V1Pod = {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "workload-x-default-x", namespace: spec.namespace, labels: { [MANAGED_BY_POD_LABEL]: spec.releaseName } },
      spec: {
        terminationGracePeriodSeconds: 1,
        securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: "RuntimeDefault" } },
        containers: [{ name: "c", image: "registry.k8s.io/pause:3.10", securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } } }],
      },
    };
    await client.core.createNamespacedPod({ namespace: spec.namespace, body: synced });
    const syncedRef = { apiVersion: "v1", kind: "Pod", metadata: { name: synced.metadata!.name!, namespace: spec.namespace } };

    const when = new Date("2026-01-02T03:04:05.678Z");
    expect(await sleep(client, spec, when)).toBe(true);
    let sts = await client.apps.readNamespacedStatefulSet({ name: spec.releaseName, namespace: spec.namespace });
    expect(sts.spec?.replicas).toBe(0);
    expect(sts.metadata?.annotations).toMatchObject({
      [PAUSED_ANNOTATION]: "true",
      [PAUSED_REPLICAS_ANNOTATION]: "1",
      [PAUSED_DATE_ANNOTATION]: "2026-01-02T03:04:05.678Z",
    });
    expect(await getOrNull(client, syncedRef)).not.toBeNull(); // the scale-down alone leaves the workloads
    await waitFor("control plane pods gone", async () => (await observe(client, spec)).controlPlane?.podReplicas === 0);
    await waitFor("workload pods removed", async () => (await removeWorkloadPods(client, spec)) === 0);
    expect(await getOrNull(client, syncedRef)).toBeNull();
    expect(await observe(client, spec)).toMatchObject({ paused: true, ready: false, controlPlane: { replicas: 0 } });
    // sleeping again changes nothing (the date of the first pause is kept)
    expect(await sleep(client, spec, new Date())).toBe(true);
    sts = await client.apps.readNamespacedStatefulSet({ name: spec.releaseName, namespace: spec.namespace });
    expect(sts.metadata?.annotations?.[PAUSED_DATE_ANNOTATION]).toBe("2026-01-02T03:04:05.678Z");

    expect(await wake(client, spec)).toBe(true);
    sts = await client.apps.readNamespacedStatefulSet({ name: spec.releaseName, namespace: spec.namespace });
    expect(sts.spec?.replicas).toBe(1);
    expect(Object.keys(sts.metadata?.annotations ?? {}).filter((k) => k.startsWith("loft.sh/"))).toEqual([]);
    await waitFor("ready again", async () => (await observe(client, spec)).controlPlane?.readyReplicas === 1);
    expect(await wake(client, spec)).toBe(true); // idempotent
  });

  it("helm's stderr becomes a readable error", async () => {
    const broken = { ...spec, chart: { repo: "http://127.0.0.1:9/charts", name: "vcluster", version: TEST_CHART_VERSION } };
    const err = await driver.install(broken).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HelmError);
    expect((err as HelmError).message).not.toMatch(/^Error:/);
    expect((err as HelmError).message).toMatch(/127\.0\.0\.1:9/);
    expect((err as HelmError).message).not.toContain("\n");
  });

  it("a chart version the host's repository lacks is said plainly", async () => {
    // A mirror that carries only the newest chart.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vcp-mirror-"));
    fs.copyFileSync(path.join(vclusterChartsDir(), `vcluster-${TEST_CHART_VERSION}.tgz`), path.join(dir, `vcluster-${TEST_CHART_VERSION}.tgz`));
    execFileSync(helmBin(), ["repo", "index", dir]);
    const mirror = await serveChartRepository({ dir });
    try {
      const err = await driver.install({ ...spec, kubernetesVersion: "1.34", chart: { repo: mirror.url, name: "vcluster", version: "0.30.0" } }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(HelmError);
      expect((err as HelmError).message).toBe(
        `vCluster chart 0.30.0 is not in the chart repository ${mirror.url}: add it there, or publish a template version pinned to a chart version the repository offers (the Hosts page lists them)`,
      );
    } finally {
      await mirror.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("uninstall removes the release; deleteAll reports gone only once the namespace is gone too", async () => {
    expect(await driver.uninstall(spec)).toEqual({ gone: true });
    expect((await driver.status(spec)).installed).toBe(false);
    expect(await driver.uninstall(spec)).toEqual({ gone: true }); // idempotent
    const first = await deleteAll(client, driver, spec);
    expect(first.gone).toBe(false); // namespace still terminating
    await waitFor("namespace gone", async () => (await deleteAll(client, driver, spec)).gone, 90_000, 1000);
    expect((await observe(client, spec)).namespace).toBe("absent");
  });
});

describe("flux driver against the real API server with the Flux CRDs", () => {
  const spec = testSpec(team, "flux-one");
  let driver: FluxDriver;

  async function setReady(status: "True" | "False", reason: string, message: string) {
    const hr = await getOrNull<HelmReleaseObject>(client, { apiVersion: HELM_RELEASE_API, kind: "HelmRelease", metadata: { name: spec.releaseName, namespace: spec.namespace } });
    const generation = hr!.metadata!.generation!;
    await client.custom.patchNamespacedCustomObjectStatus(
      {
        group: "helm.toolkit.fluxcd.io",
        version: "v2",
        namespace: spec.namespace,
        plural: "helmreleases",
        name: spec.releaseName,
        body: {
          status: {
            observedGeneration: generation,
            conditions: [{ type: "Ready", status, reason, message, observedGeneration: generation, lastTransitionTime: new Date().toISOString() }],
          },
        },
      },
      setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
    );
  }

  beforeAll(async () => {
    const dir = path.join(process.cwd(), "deploy", "test-crds");
    const crds = fs
      .readdirSync(dir)
      .filter((f) => f.endsWith(".yaml"))
      .flatMap((f) => loadManifests(fs.readFileSync(path.join(dir, f), "utf8")));
    await applyAll(client, crds);
    for (const crd of crds) {
      await waitFor(`CRD ${crd.metadata!.name} established`, async () => {
        const c = await client.apiext.readCustomResourceDefinition({ name: crd.metadata!.name! });
        return c.status?.conditions?.some((x) => x.type === "Established" && x.status === "True");
      });
    }
    namespaces.push(spec.namespace);
    await ensureHostObjects(client, spec);
    driver = driverFor({ driver: "flux" }, client) as FluxDriver;
  });

  it("writes a HelmRepository and a HelmRelease carrying the generated values", async () => {
    await driver.install(spec);
    await driver.install(spec);
    const repo = await getOrNull<KubernetesObject & { spec: unknown }>(client, { apiVersion: HELM_REPOSITORY_API, kind: "HelmRepository", metadata: { name: helmRepositoryName(spec), namespace: spec.namespace } });
    expect(repo?.spec).toEqual({ url: testChartRepo(), interval: "1h" });
    const hr = await getOrNull<HelmReleaseObject>(client, { apiVersion: HELM_RELEASE_API, kind: "HelmRelease", metadata: { name: spec.releaseName, namespace: spec.namespace } });
    expect(hr!.metadata?.generation).toBe(1);
    expect(hr!.spec).toMatchObject({
      releaseName: spec.releaseName,
      // helm-controller installs as the tenant namespace's installer ServiceAccount (bound by ensureHostObjects)
      serviceAccountName: "vcluster-portal-installer",
      chart: { spec: { chart: "vcluster", version: TEST_CHART_VERSION, sourceRef: { kind: "HelmRepository", name: helmRepositoryName(spec), namespace: spec.namespace } } },
      values: {
        controlPlane: { backingStore: { database: { embedded: { enabled: true } } }, distro: { k8s: { image: { tag: "v1.36.0" } } } },
        policies: { podSecurityStandard: "restricted", resourceQuota: { enabled: false }, limitRange: { enabled: false } },
      },
    });
    expect(hr!.metadata?.managedFields?.some((f) => f.manager === "vcluster-portal")).toBe(true);
    const installer = await client.core.readNamespacedServiceAccount({ name: "vcluster-portal-installer", namespace: spec.namespace });
    expect(installer.automountServiceAccountToken).toBe(false);
    const binding = await client.rbac.readNamespacedRoleBinding({ name: "vcluster-portal-tenant", namespace: spec.namespace });
    expect(binding.subjects).toContainEqual({ kind: "ServiceAccount", name: "vcluster-portal-installer", namespace: spec.namespace });
  });

  it("reads readiness from the Ready condition of the current generation", async () => {
    expect(await driver.status(spec)).toEqual({ installed: true, ready: false, message: "waiting for Flux to reconcile the HelmRelease" });
    await setReady("False", "InstallFailed", "chart pull error: 404");
    expect(await driver.status(spec)).toEqual({ installed: true, ready: false, message: "InstallFailed: chart pull error: 404" });
    await setReady("True", "InstallSucceeded", "Helm install succeeded");
    expect(await driver.status(spec)).toEqual({ installed: true, ready: true });

    await driver.install({ ...spec, syncerQps: 99 }); // new generation: the old Ready no longer counts
    expect(await driver.status(spec)).toMatchObject({ installed: true, ready: false, message: expect.stringMatching(/latest/) });
  });

  it("uninstall deletes both objects and reports gone", async () => {
    expect(await driver.uninstall(spec)).toEqual({ gone: true });
    expect(await driver.status(spec)).toMatchObject({ installed: false });
    expect(await driver.uninstall(spec)).toEqual({ gone: true });
  });

  it("refuses a local chart path", async () => {
    await expect(driver.install(testSpec(team, "flux-local", { chart: { repo: "/tmp/some-chart-dir", name: "vcluster", version: TEST_CHART_VERSION } }))).rejects.toBeInstanceOf(FluxDriverError);
  });
});
