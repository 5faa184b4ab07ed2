// Integration: downloading a per-person kubeconfig against a real PostgreSQL, database level: the use case with a
// fake CredentialOps (no virtual cluster; scripts/testenv/kubeconfig-credentials.ts): who may download, what is
// recorded and audited, the token's lifetime, when it is refused. Revocation: revoke-cluster-access.int.test.ts;
// for real against a virtual cluster's API server: download-kubeconfig-live.int.test.ts.
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { CLOCK_SLACK_SECONDS } from "@/lib/domain/credential-lifetime";
import { downloadKubeconfig } from "@/lib/domain/download-kubeconfig";
import { readAdminAccess, serviceAccountName } from "@/lib/kube/vcluster-credentials";
import { kubeconfigDownloads } from "@/lib/metrics/registry";
import { CLUSTER_SPEC_INCLUDE, specFromRow } from "@/lib/domain/spec-from-row";
import { expectAppError } from "@/scripts/testenv/domain-actors";
import { FakeCredentialOps, setUpKubeconfigCredentials } from "@/scripts/testenv/kubeconfig-credentials";

const suite = setUpKubeconfigCredentials();
const { ctxFor, clusterIn, audits, teams } = suite;
const counter = async () => (await kubeconfigDownloads.get()).values.reduce((n, v) => n + v.value, 0);

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
    expect(await suite.prisma.clusterCredential.findMany({ where: { clusterId: c.id } })).toEqual([
      expect.objectContaining({ userId: owner.actor.id, serviceAccount: serviceAccountName(owner.actor.id), role: "cluster-admin", downloads: 2, revokedAt: null, expiresAt: again.expiresAt }),
    ]);

    // With a public endpoint pattern on the host, that address is written in.
    await suite.prisma.hostCluster.update({ where: { name: "local" }, data: { endpointPattern: "https://{release}.{namespace}.vc.example.test" } });
    try {
      expect(parse((await downloadKubeconfig(owner, c.id, { ops })).body).clusters[0].cluster.server).toBe(`https://kc-owner.${c.namespace}.vc.example.test`);
    } finally {
      await suite.prisma.hostCluster.update({ where: { name: "local" }, data: { endpointPattern: null } });
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
    expect(await suite.prisma.clusterCredential.count({ where: { clusterId: { in: [provisioning.id, noSecret.id] } } })).toBe(0);
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
    await suite.kube.core.createNamespace({ body: { metadata: { name: c.namespace! } } });
    await suite.kube.core.createNamespacedSecret({
      namespace: c.namespace!,
      body: { metadata: { name: `vc-${c.releaseName}` }, data: { config: Buffer.from(config).toString("base64"), "certificate-authority": "UEVNCg==" } },
    });
    const row = await suite.prisma.virtualCluster.findUniqueOrThrow({ where: { id: c.id }, include: CLUSTER_SPEC_INCLUDE });
    expect(await readAdminAccess(suite.kube, specFromRow(row))).toEqual({ kubeconfig: config, server: "https://kc-secret.vc.example.test", caData: "UEVNCg==" });
  });
});
