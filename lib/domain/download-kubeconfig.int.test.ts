// Integration: per-person kubeconfigs (download, revoke, revocation on leaving the team) against a real PostgreSQL.
//
//  1. Fast, database-level: the use cases with a fake CredentialOps (no virtual cluster): who may download, what
//     is recorded and audited, the token's lifetime, revocation bookkeeping, races.
//  2. For real: a cluster of the real loft-sh/vcluster chart on the local host cluster `test`, its control plane
//     played by the emulator's real kube-apiserver; the portal mints ServiceAccounts and TokenRequest tokens there,
//     and the downloaded kubeconfig is used as a person would use it — then refused (401) once revoked.
import { randomBytes } from "node:crypto";
import path from "node:path";
import { ApiextensionsV1Api, AuthenticationV1Api, CoreV1Api, type KubeConfig } from "@kubernetes/client-node";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { syncGroups } from "@/lib/auth/sync-groups";
import { CLOCK_SLACK_SECONDS } from "@/lib/domain/credential-lifetime";
import { type DownloadDeps, downloadKubeconfig } from "@/lib/domain/download-kubeconfig";
import { listClusterCredentials } from "@/lib/domain/list-cluster-credentials";
import { requestCluster } from "@/lib/domain/request-cluster";
import { revokeClusterAccess } from "@/lib/domain/revoke-cluster-access";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { deleteIfExists } from "@/lib/kube/apply";
import type { KubeClient } from "@/lib/kube/client";
import { HelmDriver } from "@/lib/kube/drivers/helm";
import { orNull, toKubeError } from "@/lib/kube/errors";
import {
  type CredentialOps,
  USERS_NAMESPACE,
  USER_EMAIL_ANNOTATION,
  USER_ID_LABEL,
  VirtualClusterUnavailableError,
  kubeCredentialOps,
  readAdminAccess,
  serviceAccountName,
} from "@/lib/kube/vcluster-credentials";
import { ensureHostObjects } from "@/lib/kube/ensure-host-objects";
import { observe } from "@/lib/kube/vcluster-control-plane";
import { log } from "@/lib/log";
import { kubeconfigDownloads } from "@/lib/metrics/registry";
import { CLUSTER_SPEC_INCLUDE, specFromRow } from "@/lib/domain/spec-from-row";
import { credentialRevocationSweep } from "@/lib/reconciler/sweeps";
import { binDir } from "@/scripts/k8s/locations";
import { actorContext, expectAppError } from "@/scripts/testenv/domain-actors";
import { testKubeconfig, testNamespacePrefix, useTestDatabase } from "@/scripts/testenv/per-file";
import { startEmulator, type Emulator } from "@/scripts/vcluster-emulator/emulator";
import { clientFor, testChartRepo, throughRoute, waitFor } from "@/scripts/vcluster-emulator/testing";

// The seeded host "local" is a LOCAL connection: it reaches the cluster named by KUBECONFIG (read once by env()).
process.env.KUBECONFIG = testKubeconfig();
process.env.HELM_BIN = path.join(binDir(), "helm");
process.env.VCLUSTER_CHART_REPO = testChartRepo();

const testDb = useTestDatabase({ seeded: true });
const ctxFor = (email: string) => actorContext(prisma, email, { requestId: `req-${email}`, ip: "203.0.113.7" });
const groups = { adminGroup: "vcluster-portal-admins", teamPrefix: "team:" };
const quiet = log.child({}, { level: "silent" });
let prisma: PrismaClient;
let kube: KubeClient;
const teams: Record<string, string> = {};
const namespaces: string[] = [];

/** A virtual cluster that is not there: records what the portal asks of it. */
class FakeCredentialOps implements CredentialOps {
  issued: { namespace: string; email: string; role: string; seconds: number; replace: boolean }[] = [];
  revoked: string[] = [];
  down = false;
  /** Runs while a token is being minted (to interleave a revocation). */
  duringIssue: (() => Promise<void>) | null = null;
  private n = 0;
  async issue(...[, spec, req]: Parameters<CredentialOps["issue"]>) {
    if (this.down) throw new VirtualClusterUnavailableError("not answering");
    this.issued.push({ namespace: spec.namespace, email: req.person.email, role: req.role, seconds: req.seconds, replace: Boolean(req.replace) });
    await this.duringIssue?.();
    return { serviceAccount: serviceAccountName(req.person.userId), token: `token-${++this.n}`, expiresAt: null, server: "https://localhost:8443", caData: "Q0EK" };
  }
  async revoke(...[, spec, serviceAccount]: Parameters<CredentialOps["revoke"]>) {
    if (this.down) throw new VirtualClusterUnavailableError("not answering");
    this.revoked.push(`${spec.namespace}/${serviceAccount}`);
    return "deleted" as const;
  }
}

/** A Sandbox of Payments owned by dev.payments, put in `phase` on a namespace of this test file. */
async function clusterIn(name: string, phase: "READY" | "PROVISIONING" | "SLEEPING", expiresAt?: Date) {
  const c = await requestCluster(await ctxFor("dev.payments@example.com"), { teamId: teams.payments!, templateSlug: "sandbox", name });
  const namespace = `${testNamespacePrefix()}-${name}`;
  namespaces.push(namespace);
  return prisma.virtualCluster.update({
    where: { id: c.id },
    data: { phase, namespace, readyAt: phase === "READY" ? new Date() : null, ...(expiresAt ? { expiresAt } : {}) },
  });
}

const audits = async (action: string, clusterId: string) => prisma.auditEvent.findMany({ where: { action, targetId: clusterId }, orderBy: { createdAt: "asc" } });
const counter = async () => (await kubeconfigDownloads.get()).values.reduce((n, v) => n + v.value, 0);
const credentialOf = async (clusterId: string, email: string) =>
  prisma.clusterCredential.findFirstOrThrow({ where: { clusterId, user: { email } } });

beforeAll(async () => {
  prisma = testDb.prisma();
  kube = clientFor(testKubeconfig());
  for (const t of await prisma.team.findMany()) teams[t.slug] = t.id;
  // Room for the dozen clusters of the database-level cases.
  await prisma.teamQuota.update({ where: { teamId: teams.payments! }, data: { maxClusters: 50, cpuMillicores: 100_000, memoryMiB: 400_000 } });
});

afterAll(async () => {
  await Promise.all(namespaces.map((name) => deleteIfExists(kube, { apiVersion: "v1", kind: "Namespace", metadata: { name } }).catch(() => {})));
});

describe("downloadKubeconfig (database level, no virtual cluster)", () => {
  it("gives the owner a personal kubeconfig: token, CA and server, no client certificate; says until when; a new download mints a new token for the same account", async () => {
    const c = await clusterIn("kc-owner", "READY");
    const ops = new FakeCredentialOps();
    const owner = await ctxFor("dev.payments@example.com");

    const file = await downloadKubeconfig(owner, c.id, { ops });
    expect(file).toMatchObject({ filename: "kc-owner.kubeconfig.yaml", contentType: "application/yaml", serviceAccount: serviceAccountName(owner.actor.id) });
    const doc = parse(file.body);
    expect(doc["current-context"]).toBe("payments-kc-owner");
    expect(doc.contexts).toEqual([{ name: "payments-kc-owner", context: { cluster: "payments-kc-owner", user: "payments-kc-owner" } }]);
    // The host has no endpoint pattern: the address vcluster exported stays.
    expect(doc.clusters[0].cluster).toEqual({ server: "https://localhost:8443", "certificate-authority-data": "Q0EK" });
    expect(doc.users[0].user).toEqual({ token: "token-1" });
    expect(file.body).not.toMatch(/client-certificate|client-key/);
    expect(file.body).toContain(`# Valid until ${file.expiresAt.toISOString()}`);
    expect(file.body).toContain("to dev.payments@example.com");
    expect(ops.issued).toEqual([{ namespace: c.namespace, email: "dev.payments@example.com", role: "cluster-admin", seconds: expect.any(Number), replace: false }]);

    // Again: the same ServiceAccount, a fresh token; one row per person and cluster.
    const again = await downloadKubeconfig(owner, c.id, { ops });
    expect(parse(again.body).users[0].user.token).toBe("token-2");
    expect(await prisma.clusterCredential.findMany({ where: { clusterId: c.id } })).toEqual([
      expect.objectContaining({ userId: owner.actor.id, serviceAccount: serviceAccountName(owner.actor.id), role: "cluster-admin", downloads: 2, revokedAt: null, expiresAt: again.expiresAt }),
    ]);

    // With a public endpoint pattern on the host, that address is written in.
    await prisma.hostCluster.update({ where: { name: "local" }, data: { endpointPattern: "https://{release}.{namespace}.vc.example.test" } });
    try {
      expect(parse((await downloadKubeconfig(owner, c.id, { ops })).body).clusters[0].cluster.server).toBe(`https://kc-owner.${c.namespace}.vc.example.test`);
    } finally {
      await prisma.hostCluster.update({ where: { name: "local" }, data: { endpointPattern: null } });
    }
  });

  it("the token lives KUBECONFIG_TOKEN_MAX_HOURS at most and never past the cluster's end; a cluster about to end gives none", async () => {
    const now = new Date();
    const ops = new FakeCredentialOps();
    const dev = await ctxFor("dev.payments@example.com");

    const short = await clusterIn("kc-short", "READY", new Date(now.getTime() + 2 * 3600_000));
    const bound = await downloadKubeconfig(dev, short.id, { ops, now: () => now, maxHours: 24 });
    expect(bound.expiresAt.getTime()).toBeLessThanOrEqual(short.expiresAt!.getTime());
    expect(ops.issued.at(-1)!.seconds).toBe(7200 - CLOCK_SLACK_SECONDS);

    const capped = await downloadKubeconfig(dev, short.id, { ops, now: () => now, maxHours: 1 });
    expect(capped.expiresAt).toEqual(new Date(now.getTime() + 3600_000));
    expect(ops.issued.at(-1)!.seconds).toBe(3600);

    const ending = await clusterIn("kc-ending", "READY", new Date(now.getTime() + 5 * 60_000));
    const e = await expectAppError(downloadKubeconfig(dev, ending.id, { ops, now: () => now }), "CONFLICT");
    expect(e.message).toMatch(/^kc-ending ends in less than 10 minutes .*extend it/);
    expect(ops.issued.filter((i) => i.namespace === ending.namespace)).toEqual([]);
  });

  it("serves the team's members and admins; a member of another team gets NOT_FOUND, exactly like a missing cluster", async () => {
    const c = await clusterIn("kc-access", "READY");
    const ops = new FakeCredentialOps();
    await expect(downloadKubeconfig(await ctxFor("lead.payments@example.com"), c.id, { ops })).resolves.toMatchObject({ filename: "kc-access.kubeconfig.yaml" });
    await expect(downloadKubeconfig(await ctxFor("admin@example.com"), c.id, { ops })).resolves.toMatchObject({ filename: "kc-access.kubeconfig.yaml" });

    const before = (await audits("cluster.kubeconfig.download", c.id)).length;
    const outsider = await expectAppError(downloadKubeconfig(await ctxFor("dev.search@example.com"), c.id, { ops }), "NOT_FOUND");
    const missing = await expectAppError(downloadKubeconfig(await ctxFor("dev.search@example.com"), "no-such-cluster", { ops }), "NOT_FOUND");
    expect(outsider.message).toBe("Cluster was not found.");
    expect(missing.message).toBe(outsider.message);
    expect((await audits("cluster.kubeconfig.download", c.id)).length).toBe(before);
    expect(ops.issued.map((i) => i.email)).toEqual(["lead.payments@example.com", "admin@example.com"]);
  });

  it("audits every download (who, team, request, ServiceAccount, role, expiry) and counts it in vcp_kubeconfig_downloads_total", async () => {
    const c = await clusterIn("kc-audit", "READY");
    const ops = new FakeCredentialOps();
    const counted = await counter();
    await downloadKubeconfig(await ctxFor("dev.payments@example.com"), c.id, { ops });
    await downloadKubeconfig(await ctxFor("dev.payments@example.com"), c.id, { ops });
    const last = await downloadKubeconfig(await ctxFor("admin@example.com"), c.id, { ops });

    const rows = await audits("cluster.kubeconfig.download", c.id);
    expect(rows.map((r) => r.actorEmail)).toEqual(["dev.payments@example.com", "dev.payments@example.com", "admin@example.com"]);
    for (const r of rows) {
      expect(r).toMatchObject({ targetType: "cluster", teamId: teams.payments, ip: "203.0.113.7", requestId: `req-${r.actorEmail}` });
      expect(r.details).toMatchObject({ name: "kc-audit", host: "local", server: "exported", role: "cluster-admin", serviceAccount: expect.stringMatching(/^user-/) });
    }
    expect((rows[2]!.details as { expiresAt: string }).expiresAt).toBe(last.expiresAt.toISOString());
    expect(await counter()).toBe(counted + 3);
  });

  it("refuses with a readable CONFLICT until the cluster is ready (and until its Secret exists), auditing nothing", async () => {
    const provisioning = await clusterIn("kc-early", "PROVISIONING");
    const early = await expectAppError(downloadKubeconfig(await ctxFor("dev.payments@example.com"), provisioning.id), "CONFLICT");
    expect(early.message).toBe("kc-early: The cluster is provisioning; its kubeconfig can be downloaded once it is ready.");

    // READY in the database, but nothing on the host yet: the real read (lib/kube) finds no Secret vc-<release>.
    const noSecret = await clusterIn("kc-nosecret", "READY");
    const e = await expectAppError(downloadKubeconfig(await ctxFor("dev.payments@example.com"), noSecret.id), "CONFLICT");
    expect(e.message).toMatch(/not written yet/);
    expect(await audits("cluster.kubeconfig.download", provisioning.id)).toEqual([]);
    expect(await audits("cluster.kubeconfig.download", noSecret.id)).toEqual([]);
    expect(await prisma.clusterCredential.count({ where: { clusterId: { in: [provisioning.id, noSecret.id] } } })).toBe(0);
  });

  it("reads the CA and the exported server from Secret vc-<release>, as the chart writes it", async () => {
    const c = await clusterIn("kc-secret", "READY");
    const config = `apiVersion: v1
kind: Config
clusters: [{ name: my-vcluster, cluster: { server: "https://kc-secret.vc.example.test", certificate-authority-data: Q0EK } }]
contexts: [{ name: my-vcluster, context: { cluster: my-vcluster, user: my-vcluster } }]
current-context: my-vcluster
users: [{ name: my-vcluster, user: { client-certificate-data: Q0VSVAo=, client-key-data: S0VZCg== } }]
`;
    await kube.core.createNamespace({ body: { metadata: { name: c.namespace! } } });
    await kube.core.createNamespacedSecret({
      namespace: c.namespace!,
      body: { metadata: { name: `vc-${c.releaseName}` }, data: { config: Buffer.from(config).toString("base64"), "certificate-authority": "UEVNCg==" } },
    });
    const row = await prisma.virtualCluster.findUniqueOrThrow({ where: { id: c.id }, include: CLUSTER_SPEC_INCLUDE });
    expect(await readAdminAccess(kube, specFromRow(row))).toEqual({ kubeconfig: config, server: "https://kc-secret.vc.example.test", caData: "UEVNCg==" });
  });

  it("a lead revokes a member's access: recorded, audited, applied at once when ready; that member's downloads are refused (FORBIDDEN, audited)", async () => {
    const c = await clusterIn("kc-revoke", "READY");
    const ops = new FakeCredentialOps();
    const dev = await ctxFor("dev.payments@example.com");
    await downloadKubeconfig(dev, c.id, { ops });

    // Members and another team's lead may not; another team does not even see the cluster.
    await expectAppError(revokeClusterAccess(dev, { clusterId: c.id, userId: dev.actor.id }, { ops }), "FORBIDDEN");
    await expectAppError(revokeClusterAccess(await ctxFor("dev.search@example.com"), { clusterId: c.id, userId: dev.actor.id }, { ops }), "NOT_FOUND");
    await expectAppError(revokeClusterAccess(await ctxFor("lead.payments@example.com"), { clusterId: c.id, userId: "nobody" }, { ops }), "NOT_FOUND");

    const r = await revokeClusterAccess(await ctxFor("lead.payments@example.com"), { clusterId: c.id, userId: dev.actor.id }, { ops });
    expect(r).toMatchObject({ applied: true, email: "dev.payments@example.com" });
    expect(r.message).toMatch(/stops working within seconds/);
    expect(ops.revoked).toEqual([`${c.namespace}/${serviceAccountName(dev.actor.id)}`]);
    const row = await credentialOf(c.id, "dev.payments@example.com");
    expect(row).toMatchObject({ revokeReason: "revoked", revokedAt: expect.any(Date), revocationAppliedAt: expect.any(Date) });
    expect(await audits("cluster.access.revoke", c.id)).toEqual([
      expect.objectContaining({ actorEmail: "lead.payments@example.com", teamId: teams.payments, details: expect.objectContaining({ person: "dev.payments@example.com", reason: "revoked" }) }),
    ]);
    await expectAppError(revokeClusterAccess(await ctxFor("admin@example.com"), { clusterId: c.id, userId: dev.actor.id }, { ops }), "CONFLICT");

    const refused = await expectAppError(downloadKubeconfig(dev, c.id, { ops }), "FORBIDDEN");
    expect(refused.message).toMatch(/^Your access to kc-revoke was revoked by lead\.payments@example\.com on .* Ask a lead of the team or an admin/);
    expect(await audits("cluster.kubeconfig.refused", c.id)).toEqual([expect.objectContaining({ actorEmail: "dev.payments@example.com" })]);
    expect(ops.issued).toHaveLength(1);

    // The page: the owner sees who holds what (and cannot revoke); another member sees nothing of it.
    const list = await listClusterCredentials(dev, c.id);
    expect(list).toMatchObject({ canRevoke: false, credentials: [{ email: "dev.payments@example.com", state: "revoked", revokedBy: "lead.payments@example.com" }] });
    expect((await listClusterCredentials(await ctxFor("lead.payments@example.com"), c.id)).canRevoke).toBe(true);
  });

  it("a revocation of a sleeping or unreachable cluster stays pending until the sweep finds it READY and answering", async () => {
    const c = await clusterIn("kc-asleep", "READY");
    const ops = new FakeCredentialOps();
    const lead = await ctxFor("lead.payments@example.com");
    await downloadKubeconfig(lead, c.id, { ops });
    await prisma.virtualCluster.update({ where: { id: c.id }, data: { phase: "SLEEPING" } });

    const r = await revokeClusterAccess(await ctxFor("admin@example.com"), { clusterId: c.id, userId: lead.actor.id }, { ops });
    expect(r).toMatchObject({ applied: false });
    expect(r.message).toMatch(/not running right now; their kubeconfig stops working as soon as it is reachable again/);
    expect(await credentialRevocationSweep(prisma, { ops, log: quiet })).toMatchObject({ applied: 0 });
    expect(ops.revoked).toEqual([]);

    // Awake but not answering: the error is kept and retried.
    await prisma.virtualCluster.update({ where: { id: c.id }, data: { phase: "READY" } });
    ops.down = true;
    expect(await credentialRevocationSweep(prisma, { ops, log: quiet })).toMatchObject({ applied: 0, failed: 1 });
    expect((await credentialOf(c.id, "lead.payments@example.com")).revocationError).toMatch(/not answering/);

    ops.down = false;
    expect(await credentialRevocationSweep(prisma, { ops, log: quiet })).toMatchObject({ applied: 1 });
    expect(ops.revoked).toEqual([`${c.namespace}/${serviceAccountName(lead.actor.id)}`]);
    expect(await credentialOf(c.id, "lead.payments@example.com")).toMatchObject({ revocationAppliedAt: expect.any(Date), revocationError: null });
    // Idempotent.
    expect(await credentialRevocationSweep(prisma, { ops, log: quiet })).toMatchObject({ applied: 0 });
  });

  it("leaving the team (IdP groups at sign-in) revokes the person's credentials; a return to the team issues afresh over a new ServiceAccount", async () => {
    const c = await clusterIn("kc-leaver", "READY");
    const ops = new FakeCredentialOps();
    const user = await prisma.user.create({ data: { email: "leaver@example.com", name: "Lee Ver" } });
    await syncGroups(prisma, user.id, ["team:payments"], groups, quiet);
    await downloadKubeconfig(await ctxFor("leaver@example.com"), c.id, { ops });

    const left = await syncGroups(prisma, user.id, [], groups, quiet);
    expect(left).toMatchObject({ removed: ["payments"], revokedCredentials: ["kc-leaver"] });
    expect(await credentialOf(c.id, "leaver@example.com")).toMatchObject({ revokeReason: "left-team", revokedAt: expect.any(Date), revocationAppliedAt: null });
    expect(await audits("cluster.access.revoke", c.id)).toEqual([
      expect.objectContaining({ actorEmail: "system", details: expect.objectContaining({ person: "leaver@example.com", reason: "left-team" }) }),
    ]);
    await expectAppError(downloadKubeconfig(await ctxFor("leaver@example.com"), c.id, { ops }), "NOT_FOUND");

    // Back before the sweep ran: the old ServiceAccount is replaced (its tokens die), then a new token is issued.
    await syncGroups(prisma, user.id, ["team:payments"], groups, quiet);
    await downloadKubeconfig(await ctxFor("leaver@example.com"), c.id, { ops });
    expect(ops.issued.map((i) => i.replace)).toEqual([false, true]);
    expect(await credentialOf(c.id, "leaver@example.com")).toMatchObject({ revokedAt: null, revokeReason: null, downloads: 2 });
  });

  it("a revocation that lands while a token is being minted wins: the download is refused and the account is deleted again", async () => {
    const c = await clusterIn("kc-race", "READY");
    const ops = new FakeCredentialOps();
    const dev = await ctxFor("dev.payments@example.com");
    await downloadKubeconfig(dev, c.id, { ops });
    const lead = await ctxFor("lead.payments@example.com");
    ops.duringIssue = async () => {
      ops.duringIssue = null;
      await revokeClusterAccess(lead, { clusterId: c.id, userId: dev.actor.id }, { ops });
    };
    await expectAppError(downloadKubeconfig(dev, c.id, { ops }), "FORBIDDEN");
    const sa = `${c.namespace}/${serviceAccountName(dev.actor.id)}`;
    // Deleted by the revoke, and once more after the racing download made it again.
    expect(ops.revoked).toEqual([sa, sa]);
    expect(await credentialOf(c.id, "dev.payments@example.com")).toMatchObject({ revokeReason: "revoked", revocationAppliedAt: expect.any(Date) });
  });
});

// ───────────────────────────── for real ─────────────────────────────

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
  const admin = async () => as((await readAdminAccess(kube, specFromRow(await prisma.virtualCluster.findUniqueOrThrow({ where: { id: clusterId }, include: CLUSTER_SPEC_INCLUDE })))).kubeconfig);

  beforeAll(async () => {
    // The host exports a public address (exportKubeConfig.server); the emulator is the ingress behind it.
    await prisma.hostCluster.update({ where: { name: "local" }, data: { endpointPattern: "https://{release}.{namespace}.vc.example.test" } });
    const team = await prisma.team.create({ data: { slug, name: `Team ${slug}`, quota: { create: { maxClusters: 5, cpuMillicores: 20_000, memoryMiB: 40_000, maxLifetimeHours: 720 } } } });
    // The member's membership comes from the IdP (so a sign-in can remove it); the others' by hand.
    const member = await prisma.user.create({ data: { email: people.member, name: "Mia Member" } });
    await syncGroups(prisma, member.id, [`team:${slug}`], groups, quiet);
    await prisma.user.create({ data: { email: people.colleague, memberships: { create: { teamId: team.id, role: "MEMBER" } } } });
    await prisma.user.create({ data: { email: people.lead, memberships: { create: { teamId: team.id, role: "LEAD" } } } });

    emulator = await startEmulator({ hostKubeconfig: testKubeconfig(), namespacePrefix: `vc-${slug}-`, pollMs: 300, log: () => {} });
    const c = await requestCluster(await ctxFor(people.member), { teamId: team.id, templateSlug: "sandbox", name: "real" });
    const row = await prisma.virtualCluster.findUniqueOrThrow({ where: { id: c.id }, include: CLUSTER_SPEC_INCLUDE });
    const spec = specFromRow(row);
    ({ namespace: ns, releaseName: release } = spec);
    clusterId = c.id;
    expiresAt = c.expiresAt!;
    namespaces.push(ns);
    // Provisioned here with lib/kube and the real chart (the reconciler's own tests cover the reconciler).
    await ensureHostObjects(kube, spec);
    await new HelmDriver(kube, { helmBin: path.join(binDir(), "helm"), timeoutSeconds: 120 }).install(spec);
    await waitFor("the control plane ready and routed", async () => (await observe(kube, spec)).ready && emulator.route(ns, release) !== null, 120_000, 1000);
    await prisma.virtualCluster.update({ where: { id: c.id }, data: { phase: "READY", readyAt: new Date() } });
    ops = kubeCredentialOps({ connect: (adminAccess, s) => throughRoute(adminAccess.kubeconfig, emulator, s.namespace, s.releaseName) });
  });

  afterAll(async () => {
    await prisma.hostCluster.update({ where: { name: "local" }, data: { endpointPattern: null } }).catch(() => {});
    if (ns) await deleteIfExists(kube, { apiVersion: "v1", kind: "Namespace", metadata: { name: ns } }).catch(() => {});
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
    const secret = await kube.core.readNamespacedSecret({ name: `vc-${release}`, namespace: ns });
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

    const left = await syncGroups(prisma, member.actor.id, [], groups, quiet);
    expect(left.revokedCredentials).toEqual(["real"]);
    // Recorded at once; the virtual cluster learns it from the sweep (the worker runs it every 15 s).
    expect((await credentialRevocationSweep(prisma, { ops, log: quiet })).applied).toBeGreaterThanOrEqual(1);
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
