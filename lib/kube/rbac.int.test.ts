import fs from "node:fs";
import https from "node:https";
import path from "node:path";
import { KubeConfig, type KubernetesObject, type V1RoleBinding, type V1Secret } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IDENTITY_KINDS, pick, renderChart, requiredValues, type ChartObject } from "@/deploy/helm/portal-chart";
import { clientFor, helmBin, testChartRepo, testHostKubeconfig, testSpec, uniqueTeam, waitFor } from "@/scripts/vcluster-emulator/testing";
import { applyAll, applyObject, getOrNull, loadManifests } from "./apply";
import { kubeClientFromConfig, type KubeClient } from "./client";
import { MANAGED_BY, MANAGED_BY_LABEL } from "./cluster-spec";
import { buildHelmRelease, FluxDriver } from "./drivers/flux";
import { HelmDriver } from "./drivers/helm";
import { toKubeError, type KubeError } from "./errors";
import { INSTALLER_SERVICE_ACCOUNT, TENANT_ROLE_NAME } from "./host-objects";
import { apiServerEndpoints, ensureHostObjects } from "./ensure-host-objects";
import { hostInventory } from "./host-inventory";
import { HostWatch } from "./watch/host-watch";
import { log } from "@/lib/log";
import { observe } from "./vcluster-control-plane";
import { deleteAll } from "./vcluster-delete";
import { removeWorkloadPods, sleep, wake } from "./vcluster-sleep";
import { listPortalNamespaces, markOrphan, removeOrphan } from "./orphans";

// The portal's least privilege on a host, proven both ways against a real API server, as exactly the identity the
// portal's Helm chart (deploy/helm/vcluster-portal) gives it: the chart's ServiceAccount, RBAC, admission policy and
// API Priority and Fairness objects, rendered by `helm template` for a release whose names differ from the defaults,
// applied for real; the portal calls with a TokenRequest token of that ServiceAccount.
//   * It can: provision the real loft-sh/vcluster chart (0.30.0 and 0.36.1) with helm — RBAC escalation prevention
//     checks every Role and ClusterRole the chart creates against what the portal holds —, observe, sleep (incl.
//     removing workload pods), wake, read the kubeconfig Secret, watch the host's control planes, take the drift sweep's inventory, drive the flux
//     driver and delete everything again.
//   * It cannot: read Secrets in kube-system or in any namespace it did not create, create pods or exec outside
//     its namespaces, bind any role but the tenant role (nor that one outside its namespaces or cluster-wide),
//     bind cluster-admin, delete or relabel a namespace it does not own, create an unlabelled namespace, escalate.
//     Every refusal is a 403 (RBAC's, or the policy's message), and nothing half-made is left behind.
// Also checks that the APF FlowSchema classifies the portal's requests.

/** Not the default names: the identity must follow the release (ServiceAccount, bindings, the policy's username). */
const RELEASE = { name: "vcp", namespace: "vcp-system" };
const team = uniqueTeam("rbac");
const specs = [testSpec(team, "least-priv"), testSpec(team, "least-priv-old", { chart: { repo: testChartRepo(), name: "vcluster", version: "0.30.0" }, kubernetesVersion: "1.34" })];
const fluxSpec = testSpec(team, "least-flux");
const ownSpec = testSpec(team, "least-own"); // a tenant namespace for the refusal tests
const orphanSpec = testSpec(team, "least-orphan");
/** A namespace somebody else made, with a Secret and a pod the portal must not reach. */
const foreign = `foreign-${team}`;
const RBAC_API = "rbac.authorization.k8s.io/v1";

let admin: KubeClient;
let SA: { name: string; namespace: string };
/** The chart's cluster-wide ClusterRole (bound to SA), its admission policy and FlowSchema. */
let portalRole: string;
let policyName: string;
let flowSchemaName: string;
let portal: KubeClient;
let token: string;
let server: string;
let ca: Buffer;

const manifestsIn = (dir: string) =>
  fs
    .readdirSync(path.join(process.cwd(), dir))
    .filter((f) => f.endsWith(".yaml"))
    .sort()
    .flatMap((f) => loadManifests(fs.readFileSync(path.join(process.cwd(), dir, f), "utf8")));

/** The error a refused call ends with (null when it was not refused). */
const refusal = async (p: Promise<unknown>): Promise<KubeError | null> => p.then(() => null, (e: unknown) => toKubeError(e));
/** A refusal by the ValidatingAdmissionPolicy: 403 with the policy's message. */
const byPolicy = (e: KubeError | null, message: RegExp) => {
  expect(e?.kind).toBe("Forbidden");
  expect(e?.message).toContain(`ValidatingAdmissionPolicy '${policyName}'`);
  expect(e?.message).toMatch(message);
};
const exists = async (apiVersion: string, kind: string, name: string, namespace?: string) =>
  (await getOrNull(admin, { apiVersion, kind, metadata: { name, ...(namespace ? { namespace } : {}) } })) !== null;

/** A raw request as the portal (for subresources client-node only speaks over websockets, like pods/exec). */
function asPortal(method: string, urlPath: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = https.request(`${server}${urlPath}`, { method, ca, headers: { Authorization: `Bearer ${token}`, ...headers } }, (res) => {
      let body = "";
      res.on("data", (c: Buffer) => (body += c.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

beforeAll(async () => {
  const hostKubeconfig = await testHostKubeconfig();
  admin = clientFor(hostKubeconfig, "admin");
  const { objects, yaml } = await renderChart(RELEASE, requiredValues());
  const identity: ChartObject[] = objects.filter((o) => IDENTITY_KINDS.includes(o.kind));
  const sa = pick(identity, "ServiceAccount");
  SA = { name: sa.metadata.name, namespace: sa.metadata.namespace! };
  portalRole = (pick(identity, "ClusterRoleBinding") as unknown as { roleRef: { name: string } }).roleRef.name;
  policyName = pick(identity, "ValidatingAdmissionPolicy").metadata.name;
  flowSchemaName = pick(identity, "FlowSchema").metadata.name;
  expect(SA).toEqual({ name: "vcp-vcluster-portal", namespace: RELEASE.namespace });
  await applyAll(admin, [
    ...manifestsIn("deploy/test-crds"),
    { apiVersion: "v1", kind: "Namespace", metadata: { name: SA.namespace } },
    { apiVersion: "v1", kind: "Namespace", metadata: { name: foreign } },
  ]);
  // exactly the chart's objects of these kinds, as helm rendered them
  await applyAll(admin, loadManifests(yaml).filter((o) => IDENTITY_KINDS.includes(o.kind!)));
  await applyAll(admin, [
    { apiVersion: "v1", kind: "Secret", metadata: { name: "theirs", namespace: foreign }, stringData: { password: "not yours" } } as V1Secret,
    { apiVersion: "v1", kind: "Secret", metadata: { name: "portal-own", namespace: SA.namespace }, stringData: { password: "not yours either" } } as V1Secret,
    { apiVersion: "v1", kind: "Pod", metadata: { name: "theirs", namespace: foreign }, spec: { containers: [{ name: "c", image: "registry.k8s.io/pause:3.10" }] } } as KubernetesObject,
  ]);
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
  // RBAC caches settle quickly, but not instantly, after a fresh binding; the admission policy likewise.
  await waitFor("binding effective", async () => (await portal.core.listNamespace().then(() => true)), 30_000);
  await waitFor("Role in default effective", async () => (await portal.core.readNamespacedService({ name: "kubernetes", namespace: "default" }).then(() => true)), 30_000);
  await waitFor(
    "admission policy in force",
    async () => {
      const e = await refusal(portal.core.createNamespace({ body: { metadata: { name: `probe-${team}` } }, dryRun: "All" }));
      return e?.kind === "Forbidden" && e.message.includes(policyName);
    },
    30_000,
  );
});

afterAll(async () => {
  for (const s of [...specs, fluxSpec, ownSpec, orphanSpec]) {
    await waitFor(`${s.name} deleted`, async () => (await deleteAll(admin, new HelmDriver(admin, { helmBin: helmBin(), timeoutSeconds: 60 }), s)).gone, 90_000, 1000).catch(() => {});
  }
  await admin.core.deleteNamespace({ name: foreign }).catch(() => {});
});

describe("the chart's ServiceAccount with the chart's RBAC and admission policy only: what it can do", () => {
  it.each(specs.map((s) => [s.chart.version, s] as const))("installs the real chart %s with helm, observes, sleeps, wakes, reads the kubeconfig and deletes", async (_, spec) => {
    const helm = new HelmDriver(portal, { helmBin: helmBin(), timeoutSeconds: 120 });
    // the first apply opens the new namespace to the portal (tenant RoleBinding) and writes the rest through it
    await ensureHostObjects(portal, spec);
    await ensureHostObjects(portal, spec);
    const rb = await admin.rbac.readNamespacedRoleBinding({ name: TENANT_ROLE_NAME, namespace: spec.namespace });
    expect(rb.roleRef).toEqual({ apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: TENANT_ROLE_NAME });
    expect(rb.subjects).toEqual([
      { kind: "ServiceAccount", name: SA.name, namespace: SA.namespace },
      { kind: "ServiceAccount", name: INSTALLER_SERVICE_ACCOUNT, namespace: spec.namespace },
    ]);
    await helm.install(spec);
    expect(await helm.status(spec)).toEqual({ installed: true, ready: true, helm: { status: "deployed", revision: 1 } });
    await waitFor("control plane ready", async () => (await observe(portal, spec)).controlPlane?.readyReplicas === 1, 120_000);
    // The chart's own RBAC exists: created by this identity, so it held every permission it granted.
    await admin.rbac.readNamespacedRole({ name: `vc-${spec.releaseName}`, namespace: spec.namespace });
    const chartClusterRole = `vc-${spec.releaseName}-v-${spec.namespace}`;
    if (spec.chart.version === "0.30.0") {
      await admin.rbac.readClusterRole({ name: chartClusterRole });
      await admin.rbac.readClusterRoleBinding({ name: chartClusterRole });
    }

    // the control plane would write this Secret; the portal only reads it
    const kubeconfig = `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: https://localhost:8443\ncontexts:\n- name: c\n  context: {cluster: c, user: u}\ncurrent-context: c\nusers:\n- name: u\n  user: {token: t}\n`;
    const secret: V1Secret = { apiVersion: "v1", kind: "Secret", metadata: { name: `vc-${spec.releaseName}`, namespace: spec.namespace }, data: { config: Buffer.from(kubeconfig).toString("base64") } };
    await admin.core.createNamespacedSecret({ namespace: spec.namespace, body: secret });
    const read = await portal.core.readNamespacedSecret({ name: `vc-${spec.releaseName}`, namespace: spec.namespace });
    expect(Buffer.from(read.data!.config!, "base64").toString()).toBe(kubeconfig);
    expect((await observe(portal, spec)).ready).toBe(true);

    // the worker's watch of the host (the chart's rbac.watchControlPlanes, on by default): cluster-wide list/watch of
    // the control planes and the portal's namespaces — Secrets stay unreadable outside its namespaces (below)
    const watch = new HostWatch(portal, () => {}, log);
    watch.start();
    try {
      await waitFor("the host watch synced as the portal", async () => watch.synced, 20_000, 200);
      expect(watch.namespace(spec.namespace)).toBe("present");
      expect(watch.controlPlane(spec.namespace, spec.releaseName)?.object.status?.readyReplicas).toBe(1);
      expect(watch.problem).toBeNull();
    } finally {
      await watch.stop();
    }

    // the drift sweep's inventory (without a watch): two cluster-wide lists of control planes
    const inventory = await hostInventory(portal);
    expect(inventory.namespaces.has(spec.namespace)).toBe(true);
    expect(inventory.controlPlanes.get(`${spec.namespace}/${spec.releaseName}`)).toEqual({ paused: false, replicas: 1 });

    expect(await sleep(portal, spec)).toBe(true);
    expect((await observe(portal, spec)).controlPlane?.replicas).toBe(0);
    await waitFor("workload pods removed as the portal", async () => (await removeWorkloadPods(portal, spec)) === 0);
    expect((await hostInventory(portal)).controlPlanes.get(`${spec.namespace}/${spec.releaseName}`)).toEqual({ paused: true, replicas: 0 });
    expect(await wake(portal, spec)).toBe(true);
    expect((await observe(portal, spec)).controlPlane?.replicas).toBe(1);

    await helm.install(spec); // an upgrade, too
    await waitFor("deleted as the portal", async () => (await deleteAll(portal, helm, spec)).gone, 90_000, 1000);
    expect(await exists(RBAC_API, "ClusterRole", chartClusterRole)).toBe(false);
    expect(await exists(RBAC_API, "ClusterRoleBinding", chartClusterRole)).toBe(false);
  });

  it("reads the host API server's addresses for the NetworkPolicy from `default` (a Role there, nothing else)", async () => {
    const endpoints = await apiServerEndpoints(portal);
    expect(endpoints.length).toBeGreaterThan(0);
    expect((await refusal(portal.core.readNamespacedConfigMap({ name: "kube-root-ca.crt", namespace: "default" })))?.kind).toBe("Forbidden");
  });

  it("drives the flux driver; Flux installs as the tenant's installer ServiceAccount, which holds the tenant role there only", async () => {
    const flux = new FluxDriver(portal);
    await ensureHostObjects(portal, fluxSpec);
    await flux.install(fluxSpec);
    expect((await flux.status(fluxSpec)).installed).toBe(true);
    const hr = await getOrNull<ReturnType<typeof buildHelmRelease>>(admin, { apiVersion: "helm.toolkit.fluxcd.io/v2", kind: "HelmRelease", metadata: { name: fluxSpec.releaseName, namespace: fluxSpec.namespace } });
    expect(hr?.spec.serviceAccountName).toBe(INSTALLER_SERVICE_ACCOUNT);
    expect((await admin.core.readNamespacedServiceAccount({ name: INSTALLER_SERVICE_ACCOUNT, namespace: fluxSpec.namespace })).automountServiceAccountToken).toBe(false);
    // what helm-controller may do when it impersonates that account (SubjectAccessReview, as the admin)
    const may = async (namespace: string, resource: string, verb: string, group = "") => {
      const review = (await admin.objects.create({
        apiVersion: "authorization.k8s.io/v1",
        kind: "SubjectAccessReview",
        metadata: {},
        spec: { user: `system:serviceaccount:${fluxSpec.namespace}:${INSTALLER_SERVICE_ACCOUNT}`, groups: ["system:serviceaccounts", `system:serviceaccounts:${fluxSpec.namespace}`], resourceAttributes: { namespace, resource, verb, group } },
      } as KubernetesObject)) as { status?: { allowed?: boolean } };
      return review.status?.allowed ?? false;
    };
    expect(await may(fluxSpec.namespace, "statefulsets", "create", "apps")).toBe(true);
    expect(await may(fluxSpec.namespace, "secrets", "list")).toBe(true);
    expect(await may(foreign, "secrets", "list")).toBe(false);
    expect(await may("kube-system", "pods", "create")).toBe(false);
    expect(await flux.uninstall(fluxSpec)).toEqual({ gone: true });
  });

  it("runs the orphan sweep's host side: lists its namespaces, marks and clears one, removes it with the chart's cluster role", async () => {
    await ensureHostObjects(portal, orphanSpec);
    const chartRole = `vc-orphan-v-${orphanSpec.namespace}`;
    await admin.rbac.createClusterRole({ body: { metadata: { name: chartRole, labels: { app: "vcluster" } }, rules: [{ apiGroups: [""], resources: ["persistentvolumes"], verbs: ["get"] }] } });
    const since = new Date("2026-01-01T00:00:00.000Z");
    await markOrphan(portal, orphanSpec.namespace, since);
    expect((await listPortalNamespaces(portal, orphanSpec.hostRegistration)).find((n) => n.name === orphanSpec.namespace)?.orphanedSince).toEqual(since);
    await markOrphan(portal, orphanSpec.namespace, null);
    expect((await listPortalNamespaces(portal, orphanSpec.hostRegistration)).find((n) => n.name === orphanSpec.namespace)?.orphanedSince).toBeNull();
    await removeOrphan(portal, orphanSpec.namespace);
    expect(await exists(RBAC_API, "ClusterRole", chartRole)).toBe(false);
    expect((await admin.core.readNamespace({ name: orphanSpec.namespace })).metadata?.deletionTimestamp).toBeTruthy();
  });
});

describe("the chart's ServiceAccount with the chart's RBAC and admission policy only: what it cannot do", () => {
  beforeAll(async () => {
    await ensureHostObjects(portal, ownSpec);
  });

  it("reads no Secrets in kube-system, in a namespace it did not create, or in its own ServiceAccount's namespace", async () => {
    for (const namespace of ["kube-system", foreign, SA.namespace]) {
      expect((await refusal(portal.core.listNamespacedSecret({ namespace })))?.kind, namespace).toBe("Forbidden");
    }
    expect((await refusal(portal.core.readNamespacedSecret({ name: "theirs", namespace: foreign })))?.kind).toBe("Forbidden");
    expect((await refusal(portal.core.readNamespacedSecret({ name: "portal-own", namespace: SA.namespace })))?.kind).toBe("Forbidden");
    expect((await refusal(portal.core.listSecretForAllNamespaces()))?.kind).toBe("Forbidden");
    // ... while in its own tenant namespace it may
    await portal.core.listNamespacedSecret({ namespace: ownSpec.namespace });
  });

  it("creates no pods and execs into none outside its namespaces", async () => {
    const pod = (namespace: string) => ({ metadata: { name: `sneaky-${team}`, namespace }, spec: { serviceAccountName: "default", containers: [{ name: "c", image: "registry.k8s.io/pause:3.10" }] } });
    for (const namespace of ["kube-system", foreign]) {
      expect((await refusal(portal.core.createNamespacedPod({ namespace, body: pod(namespace) })))?.kind, namespace).toBe("Forbidden");
      expect(await exists("v1", "Pod", `sneaky-${team}`, namespace)).toBe(false);
    }
    for (const sub of ["exec?command=cat&command=/etc/hostname&stdout=true", "attach?stdout=true", "portforward?ports=80"]) {
      const r = await asPortal("POST", `/api/v1/namespaces/${foreign}/pods/theirs/${sub}`);
      expect(r.status, sub).toBe(403);
    }
    expect((await refusal(portal.core.deleteNamespacedPod({ name: "theirs", namespace: foreign })))?.kind).toBe("Forbidden");
    expect(await exists("v1", "Pod", "theirs", foreign)).toBe(true);
  });

  it("binds no role but the tenant role, and that one only in namespaces it manages", async () => {
    const binding = (namespace: string, name: string, role: string): V1RoleBinding => ({
      metadata: { name, namespace },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: role },
      subjects: [{ kind: "ServiceAccount", name: SA.name, namespace: SA.namespace }],
    });
    // inside its own namespace, where it may write role bindings: not to roles it neither holds nor may bind
    for (const role of ["cluster-admin", "admin", "edit"]) {
      const e = await refusal(portal.rbac.createNamespacedRoleBinding({ namespace: ownSpec.namespace, body: binding(ownSpec.namespace, `to-${role}`, role) }));
      expect(e?.kind, role).toBe("Forbidden");
      expect(e?.message).toMatch(/attempting to grant RBAC permissions not currently held|is attempting to grant/);
      expect(await exists(RBAC_API, "RoleBinding", `to-${role}`, ownSpec.namespace)).toBe(false);
    }
    // outside its namespaces RBAC lets it create one binding only: by name (a create by POST names nothing) …
    for (const name of [`other-${team}`, TENANT_ROLE_NAME]) {
      expect((await refusal(portal.rbac.createNamespacedRoleBinding({ namespace: "kube-system", body: binding("kube-system", name, TENANT_ROLE_NAME) })))?.kind, name).toBe("Forbidden");
    }
    // … vcluster-portal-tenant, written by server-side apply as ensureHostObjects does — and the policy only lets
    // that happen in namespaces it manages
    for (const namespace of ["kube-system", "default", foreign]) {
      byPolicy(
        await refusal(applyObject(portal, { apiVersion: RBAC_API, kind: "RoleBinding", ...binding(namespace, TENANT_ROLE_NAME, TENANT_ROLE_NAME) } as V1RoleBinding)),
        new RegExp(`may only bind roles in namespaces it manages .*not in ${namespace}`),
      );
      expect(await exists(RBAC_API, "RoleBinding", TENANT_ROLE_NAME, namespace)).toBe(false);
    }
  });

  it("binds nothing cluster-wide: not cluster-admin, not its own roles", async () => {
    const crb = (name: string, role: string) => ({
      metadata: { name },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: role },
      subjects: [{ kind: "ServiceAccount", name: SA.name, namespace: SA.namespace }],
    });
    expect((await refusal(portal.rbac.createClusterRoleBinding({ body: crb(`vc-escalate-${team}`, "cluster-admin") })))?.kind).toBe("Forbidden");
    byPolicy(await refusal(portal.rbac.createClusterRoleBinding({ body: crb(`vc-tenant-${team}`, TENANT_ROLE_NAME) })), /may not bind its own role vcluster-portal-tenant cluster-wide/);
    // its cluster-wide role: RBAC lets it (it holds every rule), the policy does not
    byPolicy(await refusal(portal.rbac.createClusterRoleBinding({ body: crb(`vc-own-${team}`, portalRole) })), new RegExp(`may not bind its own role ${portalRole} cluster-wide`));
    byPolicy(await refusal(portal.rbac.createClusterRoleBinding({ body: crb(`tenant-${team}`, TENANT_ROLE_NAME) })), /only write the cluster roles and bindings of the vCluster chart/);
    for (const name of [`vc-escalate-${team}`, `vc-tenant-${team}`, `vc-own-${team}`, `tenant-${team}`]) expect(await exists(RBAC_API, "ClusterRoleBinding", name)).toBe(false);
  });

  it("escalates nowhere: no wider roles, no changes to its own, no aggregation, no impersonation, no tokens", async () => {
    expect(
      (await refusal(portal.rbac.createNamespacedRole({ namespace: ownSpec.namespace, body: { metadata: { name: `wide-${team}` }, rules: [{ apiGroups: ["*"], resources: ["*"], verbs: ["*"] }] } })))?.kind,
    ).toBe("Forbidden");
    expect(await exists(RBAC_API, "Role", `wide-${team}`, ownSpec.namespace)).toBe(false);
    expect((await refusal(portal.rbac.createClusterRole({ body: { metadata: { name: `vc-wide-${team}` }, rules: [{ apiGroups: [""], resources: ["secrets"], verbs: ["get"] }] } })))?.kind).toBe("Forbidden");
    expect(await exists(RBAC_API, "ClusterRole", `vc-wide-${team}`)).toBe(false);
    // its own roles stay as shipped (dry run: nothing could change even if the policy failed)
    for (const name of [portalRole, TENANT_ROLE_NAME, "cluster-admin"]) {
      byPolicy(await refusal(portal.rbac.deleteClusterRole({ name, dryRun: "All" })), /only write the cluster roles and bindings of the vCluster chart/);
    }
    expect((await refusal(portal.rbac.deleteClusterRoleBinding({ name: portalRole, dryRun: "All" })))?.kind).toBe("Forbidden");
    byPolicy(
      await refusal(portal.rbac.createClusterRole({ body: { metadata: { name: `vc-agg-${team}`, labels: { "rbac.authorization.k8s.io/aggregate-to-view": "true" } }, rules: [{ apiGroups: [""], resources: ["persistentvolumes"], verbs: ["get"] }] } })),
      /aggregate into others/,
    );
    expect(await exists(RBAC_API, "ClusterRole", `vc-agg-${team}`)).toBe(false);
    const impersonated = await asPortal("GET", "/api/v1/namespaces/kube-system/secrets", { "Impersonate-User": "system:admin", "Impersonate-Group": "system:masters" });
    expect(impersonated.status).toBe(403);
    expect((await refusal(portal.apiext.createCustomResourceDefinition({ body: { metadata: { name: "x.example.com" } } as never })))?.kind).toBe("Forbidden");
    expect((await refusal(portal.core.deleteNode({ name: "kwok-node-0" })))?.kind).toBe("Forbidden");
    expect((await refusal(portal.core.createNamespacedServiceAccountToken({ ...SA, body: { spec: { audiences: [] } } })))?.kind).toBe("Forbidden");
    expect((await refusal(portal.core.createNamespacedServiceAccountToken({ name: INSTALLER_SERVICE_ACCOUNT, namespace: ownSpec.namespace, body: { spec: { audiences: [] } } })))?.kind).toBe("Forbidden");
  });

  it("deletes or relabels no namespace it does not own, creates none without its label, and keeps the label on its own", async () => {
    byPolicy(await refusal(portal.core.deleteNamespace({ name: foreign })), new RegExp(`only change or delete namespaces it manages.*${foreign} is not one of them`));
    // not even the namespace it runs in (dry run: nothing could go even if the policy failed)
    byPolicy(await refusal(portal.core.deleteNamespace({ name: SA.namespace, dryRun: "All" })), new RegExp(`${SA.namespace} is not one of them`));
    expect((await admin.core.readNamespace({ name: foreign })).metadata?.deletionTimestamp).toBeUndefined();
    // taking a foreign namespace over by labelling it as the portal's
    byPolicy(
      await refusal(applyObject(portal, { apiVersion: "v1", kind: "Namespace", metadata: { name: foreign, labels: { [MANAGED_BY_LABEL]: MANAGED_BY } } })),
      /only change or delete namespaces it manages/,
    );
    expect((await admin.core.readNamespace({ name: foreign })).metadata?.labels?.[MANAGED_BY_LABEL]).toBeUndefined();
    // its own: the label cannot be dropped
    byPolicy(
      await refusal(portal.core.patchNamespace({ name: ownSpec.namespace, body: [{ op: "remove", path: "/metadata/labels/app.kubernetes.io~1managed-by" }] })),
      /may not remove the label app.kubernetes.io\/managed-by=vcluster-portal/,
    );
    expect((await admin.core.readNamespace({ name: ownSpec.namespace })).metadata?.labels?.[MANAGED_BY_LABEL]).toBe(MANAGED_BY);
    // new namespaces only with the label
    byPolicy(await refusal(portal.core.createNamespace({ body: { metadata: { name: `unlabelled-${team}` } } })), /may only create namespaces labelled/);
    expect(await exists("v1", "Namespace", `unlabelled-${team}`)).toBe(false);
  });
});

describe("API Priority and Fairness", () => {
  it("classifies the portal's requests by the chart's FlowSchema", async () => {
    const fs = await getOrNull<{ metadata: { uid: string }; apiVersion: string; kind: string }>(admin, {
      apiVersion: "flowcontrol.apiserver.k8s.io/v1",
      kind: "FlowSchema",
      metadata: { name: flowSchemaName },
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
