// Integration: per-person kubeconfigs for real. A cluster of the real loft-sh/vcluster chart on the local host cluster
// `test`, its control plane played by the emulator's real kube-apiserver; the portal mints ServiceAccounts and
// TokenRequest tokens there, and the downloaded kubeconfig is used as a person would use it — then refused (401)
// once revoked.
import { randomBytes } from "node:crypto";
import path from "node:path";
import { ApiextensionsV1Api, AuthenticationV1Api, CoreV1Api, type KubeConfig } from "@kubernetes/client-node";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { syncGroups } from "@/lib/auth/sync-groups";
import { CLOCK_SLACK_SECONDS } from "@/lib/domain/credential-lifetime";
import { type DownloadDeps, downloadKubeconfig } from "@/lib/domain/download-kubeconfig";
import { requestCluster } from "@/lib/domain/request-cluster";
import { revokeClusterAccess } from "@/lib/domain/revoke-cluster-access";
import { deleteIfExists } from "@/lib/kube/apply";
import { HelmDriver } from "@/lib/kube/drivers/helm";
import { orNull, toKubeError } from "@/lib/kube/errors";
import { type CredentialOps, USERS_NAMESPACE, USER_EMAIL_ANNOTATION, USER_ID_LABEL, kubeCredentialOps, readAdminAccess, serviceAccountName } from "@/lib/kube/vcluster-credentials";
import { ensureHostObjects } from "@/lib/kube/ensure-host-objects";
import { observe } from "@/lib/kube/vcluster-control-plane";
import { CLUSTER_SPEC_INCLUDE, specFromRow } from "@/lib/domain/spec-from-row";
import { credentialRevocationSweep } from "@/lib/reconciler/sweeps";
import { binDir } from "@/scripts/k8s/locations";
import { expectAppError } from "@/scripts/testenv/domain-actors";
import { testKubeconfig } from "@/scripts/testenv/per-file";
import { startEmulator, type Emulator } from "@/scripts/vcluster-emulator/emulator";
import { testChartRepo, throughRoute, waitFor } from "@/scripts/vcluster-emulator/testing";
import { IDP_GROUPS, quietLog, setUpKubeconfigCredentials } from "@/scripts/testenv/kubeconfig-credentials";

// lib/env.ts reads these once, on first use: set them before anything calls env().
process.env.HELM_BIN = path.join(binDir(), "helm");
process.env.VCLUSTER_CHART_REPO = testChartRepo();

const suite = setUpKubeconfigCredentials();
const { ctxFor, credentialOf, cleanUpNamespace } = suite;

describe("through the virtual cluster's real API server (emulator)", () => {
  const slug = `kc${randomBytes(3).toString("hex")}`;
  let emulator: Emulator;
  let clusterId: string;
  let ns: string;
  let release: string;
  let ops: CredentialOps;
  let expiresAt: Date;
  const people = { member: `member@${slug}.example.com`, colleague: `colleague@${slug}.example.com`, lead: `lead@${slug}.example.com` };
  const deps = (): DownloadDeps => ({ ops });

  /** A downloaded kubeconfig, used as its holder would: through the host's route to the cluster. */
  const as = (yaml: string) => {
    const kc: KubeConfig = throughRoute(yaml, emulator, ns, release);
    return { core: kc.makeApiClient(CoreV1Api), apiext: kc.makeApiClient(ApiextensionsV1Api), auth: kc.makeApiClient(AuthenticationV1Api) };
  };
  const refusal = (yaml: string) => as(yaml).core.listNamespace().then(() => null, (e: unknown) => toKubeError(e).kind);
  const admin = async () => as((await readAdminAccess(suite.kube, specFromRow(await suite.prisma.virtualCluster.findUniqueOrThrow({ where: { id: clusterId }, include: CLUSTER_SPEC_INCLUDE })))).kubeconfig);

  beforeAll(async () => {
    // The host exports a public address (exportKubeConfig.server); the emulator is the ingress behind it.
    await suite.prisma.hostCluster.update({ where: { name: "local" }, data: { endpointPattern: "https://{release}.{namespace}.vc.example.test" } });
    const team = await suite.prisma.team.create({ data: { slug, name: `Team ${slug}`, quota: { create: { maxClusters: 5, cpuMillicores: 20_000, memoryMiB: 40_000, maxLifetimeHours: 720 } } } });
    // The member's membership comes from the IdP (so a sign-in can remove it); the others' by hand.
    const member = await suite.prisma.user.create({ data: { email: people.member, name: "Mia Member" } });
    await syncGroups(suite.prisma, member.id, [`team:${slug}`], IDP_GROUPS, quietLog);
    await suite.prisma.user.create({ data: { email: people.colleague, memberships: { create: { teamId: team.id, role: "MEMBER" } } } });
    await suite.prisma.user.create({ data: { email: people.lead, memberships: { create: { teamId: team.id, role: "LEAD" } } } });

    emulator = await startEmulator({ hostKubeconfig: testKubeconfig(), namespacePrefix: `vc-${slug}-`, pollMs: 300, log: () => {} });
    const c = await requestCluster(await ctxFor(people.member), { teamId: team.id, templateSlug: "sandbox", name: "real" });
    const row = await suite.prisma.virtualCluster.findUniqueOrThrow({ where: { id: c.id }, include: CLUSTER_SPEC_INCLUDE });
    const spec = specFromRow(row);
    ({ namespace: ns, releaseName: release } = spec);
    clusterId = c.id;
    expiresAt = c.expiresAt!;
    cleanUpNamespace(ns);
    // Provisioned here with lib/kube and the real chart (the reconciler's own tests cover the reconciler).
    await ensureHostObjects(suite.kube, spec);
    await new HelmDriver(suite.kube, { helmBin: path.join(binDir(), "helm"), timeoutSeconds: 120 }).install(spec);
    await waitFor("the control plane ready and routed", async () => (await observe(suite.kube, spec)).ready && emulator.route(ns, release) !== null, 120_000, 1000);
    await suite.prisma.virtualCluster.update({ where: { id: c.id }, data: { phase: "READY", readyAt: new Date() } });
    ops = kubeCredentialOps({ connect: (adminAccess, s) => throughRoute(adminAccess.kubeconfig, emulator, s.namespace, s.releaseName) });
  });

  afterAll(async () => {
    await suite.prisma.hostCluster.update({ where: { name: "local" }, data: { endpointPattern: null } }).catch(() => {});
    if (ns) await deleteIfExists(suite.kube, { apiVersion: "v1", kind: "Namespace", metadata: { name: ns } }).catch(() => {});
    await emulator?.stop();
  });

  it("a member's kubeconfig works as cluster-admin (namespaces, a CRD) under their own ServiceAccount, holds no client certificate, and expires no later than the cluster", async () => {
    const member = await ctxFor(people.member);
    const file = await downloadKubeconfig(member, clusterId, deps());
    const doc = parse(file.body);
    expect(doc.clusters[0].cluster.server).toBe(`https://${release}.${ns}.vc.example.test`);
    expect(Object.keys(doc.users[0].user)).toEqual(["token"]);
    expect(file.body).not.toMatch(/client-certificate|client-key/);
    // The CA is the virtual cluster's own, from the Secret.
    const secret = await suite.kube.core.readNamespacedSecret({ name: `vc-${release}`, namespace: ns });
    expect(doc.clusters[0].cluster["certificate-authority-data"]).toBe(secret.data!["certificate-authority"]);

    // The token ends with the cluster (Sandbox: 8 h < KUBECONFIG_TOKEN_MAX_HOURS = 24), in the file and in the JWT itself.
    expect(file.expiresAt.getTime()).toBeLessThanOrEqual(expiresAt.getTime());
    expect(file.expiresAt.getTime()).toBeGreaterThan(expiresAt.getTime() - (CLOCK_SLACK_SECONDS + 60) * 1000);
    const claims = JSON.parse(Buffer.from(doc.users[0].user.token.split(".")[1], "base64url").toString()) as { exp: number; sub: string };
    expect(claims.exp * 1000).toBeLessThanOrEqual(expiresAt.getTime());
    const sa = serviceAccountName(member.actor.id);
    expect(claims.sub).toBe(`system:serviceaccount:${USERS_NAMESPACE}:${sa}`);

    const v = as(file.body);
    const who = await v.auth.createSelfSubjectReview({ body: { apiVersion: "authentication.k8s.io/v1", kind: "SelfSubjectReview" } });
    expect(who.status?.userInfo?.username).toBe(`system:serviceaccount:${USERS_NAMESPACE}:${sa}`);
    expect((await v.core.listNamespace()).items.map((n) => n.metadata?.name)).toEqual(expect.arrayContaining(["default", "kube-system", USERS_NAMESPACE]));
    const crd = {
      apiVersion: "apiextensions.k8s.io/v1",
      kind: "CustomResourceDefinition",
      metadata: { name: "gadgets.credentials.vcluster-portal.dev" },
      spec: {
        group: "credentials.vcluster-portal.dev",
        scope: "Namespaced",
        names: { kind: "Gadget", plural: "gadgets", singular: "gadget", listKind: "GadgetList" },
        versions: [{ name: "v1", served: true, storage: true, schema: { openAPIV3Schema: { type: "object", x_kubernetes_preserve_unknown_fields: true } } }],
      },
    };
    await v.apiext.createCustomResourceDefinition({ body: crd as never });
    expect((await v.apiext.readCustomResourceDefinition({ name: crd.metadata.name })).metadata?.name).toBe(crd.metadata.name);

    // The ServiceAccount says whose it is.
    const account = await (await admin()).core.readNamespacedServiceAccount({ name: sa, namespace: USERS_NAMESPACE });
    expect(account.metadata?.labels?.[USER_ID_LABEL]).toBe(member.actor.id);
    expect(account.metadata?.annotations?.[USER_EMAIL_ANNOTATION]).toBe(people.member);

    // A second download: the same ServiceAccount, a new token; both work.
    const again = await downloadKubeconfig(member, clusterId, deps());
    expect(again.serviceAccount).toBe(sa);
    expect(parse(again.body).users[0].user.token).not.toBe(doc.users[0].user.token);
    expect(await refusal(again.body)).toBeNull();
    expect(await refusal(file.body)).toBeNull();
  });

  // The API server keeps a successful token check for 10 s (kube-apiserver's built-in token cache, no flag): a token
  // used just before its ServiceAccount was deleted is refused within that, every later token at once.
  it("once the member leaves the team (IdP sync at sign-in) and the revocation is applied, the same kubeconfig gets 401 (within the API server's 10 s token cache) and no new one is served", async () => {
    const member = await ctxFor(people.member);
    const file = await downloadKubeconfig(member, clusterId, deps());
    expect(await refusal(file.body)).toBeNull();

    const left = await syncGroups(suite.prisma, member.actor.id, [], IDP_GROUPS, quietLog);
    expect(left.revokedCredentials).toEqual(["real"]);
    // Recorded at once; the virtual cluster learns it from the sweep (the worker runs it every 15 s).
    expect((await credentialRevocationSweep(suite.prisma, { ops, log: quietLog })).applied).toBeGreaterThanOrEqual(1);
    expect((await credentialOf(clusterId, people.member)).revocationAppliedAt).not.toBeNull();
    const t0 = Date.now();
    await waitFor("the virtual API server refusing the departed member's token", async () => (await refusal(file.body)) === "Unauthorized", 20_000, 200);
    console.info(`[timing] departed member's token refused ${Date.now() - t0} ms after the ServiceAccount was deleted`);
    expect(Date.now() - t0).toBeLessThan(15_000);
    expect(await orNull((await admin()).core.readNamespacedServiceAccount({ name: serviceAccountName(member.actor.id), namespace: USERS_NAMESPACE }))).toBeNull();

    await expectAppError(downloadKubeconfig(await ctxFor(people.member), clusterId, deps()), "NOT_FOUND");
  });

  it("a lead's Revoke access makes a colleague's kubeconfig fail (within the 10 s token cache), and the colleague cannot download a new one", async () => {
    const colleague = await ctxFor(people.colleague);
    const file = await downloadKubeconfig(colleague, clusterId, deps());
    expect(await refusal(file.body)).toBeNull();

    const r = await revokeClusterAccess(await ctxFor(people.lead), { clusterId, userId: colleague.actor.id }, { ops });
    expect(r.applied).toBe(true);
    const t0 = Date.now();
    await waitFor("the virtual API server refusing the revoked token", async () => (await refusal(file.body)) === "Unauthorized", 20_000, 200);
    console.info(`[timing] revoked token refused ${Date.now() - t0} ms after Revoke access returned`);
    expect(Date.now() - t0).toBeLessThan(15_000);
    await expectAppError(downloadKubeconfig(colleague, clusterId, deps()), "FORBIDDEN");
    // The lead's own access is untouched.
    expect(await refusal((await downloadKubeconfig(await ctxFor(people.lead), clusterId, deps())).body)).toBeNull();
  });

  it("another team's member cannot download (NOT_FOUND) and gets no ServiceAccount in the cluster", async () => {
    const outsider = await ctxFor("dev.search@example.com");
    await expectAppError(downloadKubeconfig(outsider, clusterId, deps()), "NOT_FOUND");
    const accounts = (await (await admin()).core.listNamespacedServiceAccount({ namespace: USERS_NAMESPACE })).items.map((s) => s.metadata?.name);
    expect(accounts).not.toContain(serviceAccountName(outsider.actor.id));
  });
});
