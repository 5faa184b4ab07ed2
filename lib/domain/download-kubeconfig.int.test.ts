// Integration: the kubeconfig download use case against a real PostgreSQL and the local host cluster `test`.
// The vcluster's kubeconfig Secret (`vc-<release>`, key `config`) is written here the way the chart does, so
// the read goes through lib/kube for real (LOCAL host → KUBECONFIG).
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type KubeconfigReader, downloadKubeconfig } from "@/lib/domain/download-kubeconfig";
import { requestCluster } from "@/lib/domain/request-cluster";
import { AppError } from "@/lib/errors";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { deleteIfExists } from "@/lib/kube/apply";
import type { KubeClient } from "@/lib/kube/client";
import { kubeconfigDownloads } from "@/lib/metrics/registry";
import { actorContext } from "@/scripts/testenv/domain-actors";
import { testKubeconfig, testNamespacePrefix, useTestDatabase } from "@/scripts/testenv/per-file";
import { clientFor } from "@/scripts/vcluster-emulator/testing";

// The seeded host "local" is a LOCAL connection: it reaches the cluster named by KUBECONFIG (read once by env()).
process.env.KUBECONFIG = testKubeconfig();

const testDb = useTestDatabase({ seeded: true });
const ctxFor = (email: string) => actorContext(prisma, email, { requestId: `req-${email}`, ip: "203.0.113.7" });
let prisma: PrismaClient;
let kube: KubeClient;
const teams: Record<string, string> = {};
const namespaces: string[] = [];


async function appError(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e, "expected an AppError").toBeInstanceOf(AppError);
  return e as AppError;
}

/** A Sandbox of Payments owned by dev.payments, put in `phase` on a namespace of this test file. */
async function clusterIn(name: string, phase: "READY" | "PROVISIONING") {
  const c = await requestCluster(await ctxFor("dev.payments@example.com"), { teamId: teams.payments!, templateSlug: "sandbox", name });
  const namespace = `${testNamespacePrefix()}-${name}`;
  namespaces.push(namespace);
  return prisma.virtualCluster.update({ where: { id: c.id }, data: { phase, namespace, readyAt: phase === "READY" ? new Date() : null } });
}

/** What the vcluster chart writes once the control plane is up: an admin kubeconfig in Secret vc-<release>. */
async function writeVclusterSecret(namespace: string, release: string) {
  const config = `apiVersion: v1
kind: Config
clusters:
- name: my-vcluster
  cluster:
    server: https://localhost:8443
    certificate-authority-data: Q0EK
contexts:
- name: my-vcluster
  context:
    cluster: my-vcluster
    user: my-vcluster
current-context: my-vcluster
users:
- name: my-vcluster
  user:
    client-certificate-data: Q0VSVAo=
    client-key-data: S0VZCg==
`;
  await kube.core.createNamespace({ body: { metadata: { name: namespace } } });
  await kube.core.createNamespacedSecret({ namespace, body: { metadata: { name: `vc-${release}` }, data: { config: Buffer.from(config).toString("base64") } } });
}

const downloads = async (clusterId: string) =>
  prisma.auditEvent.findMany({ where: { action: "cluster.kubeconfig.download", targetId: clusterId }, orderBy: { createdAt: "asc" } });
const counter = async () => (await kubeconfigDownloads.get()).values.reduce((n, v) => n + v.value, 0);

beforeAll(async () => {
  prisma = testDb.prisma();
  kube = clientFor(testKubeconfig());
  for (const t of await prisma.team.findMany()) teams[t.slug] = t.id;
});

afterAll(async () => {
  await Promise.all(namespaces.map((name) => deleteIfExists(kube, { apiVersion: "v1", kind: "Namespace", metadata: { name } }).catch(() => {})));
});

describe("downloadKubeconfig", () => {
  it("gives the owner the cluster's kubeconfig, read from the host: context named after the cluster, server kept or public", async () => {
    const c = await clusterIn("kc-owner", "READY");
    await writeVclusterSecret(c.namespace!, c.releaseName!);
    const owner = await ctxFor("dev.payments@example.com");

    const file = await downloadKubeconfig(owner, c.id);
    expect(file).toMatchObject({ filename: "kc-owner.kubeconfig.yaml", contentType: "application/yaml" });
    const doc = parse(file.body);
    expect(doc["current-context"]).toBe("payments-kc-owner");
    expect(doc.contexts).toEqual([{ name: "payments-kc-owner", context: { cluster: "payments-kc-owner", user: "payments-kc-owner" } }]);
    // The host has no endpoint pattern: the address vcluster exported stays.
    expect(doc.clusters[0].cluster).toMatchObject({ server: "https://localhost:8443", "certificate-authority-data": "Q0EK" });
    expect(doc.users[0].user).toMatchObject({ "client-certificate-data": "Q0VSVAo=" });

    // With a public endpoint pattern on the host, that address is written in.
    await prisma.hostCluster.update({ where: { name: "local" }, data: { endpointPattern: "https://{release}.{namespace}.vc.example.test" } });
    try {
      const again = parse((await downloadKubeconfig(owner, c.id)).body);
      expect(again.clusters[0].cluster.server).toBe(`https://kc-owner.${c.namespace}.vc.example.test`);
    } finally {
      await prisma.hostCluster.update({ where: { name: "local" }, data: { endpointPattern: null } });
    }
  });

  it("serves the team's members and admins; a member of another team gets NOT_FOUND, exactly like a missing cluster", async () => {
    const c = await clusterIn("kc-access", "READY");
    const read: KubeconfigReader = async () => "apiVersion: v1\nkind: Config\n";
    await expect(downloadKubeconfig(await ctxFor("lead.payments@example.com"), c.id, { read })).resolves.toMatchObject({ filename: "kc-access.kubeconfig.yaml" });
    await expect(downloadKubeconfig(await ctxFor("admin@example.com"), c.id, { read })).resolves.toMatchObject({ filename: "kc-access.kubeconfig.yaml" });

    const before = (await downloads(c.id)).length;
    const outsider = await appError(downloadKubeconfig(await ctxFor("dev.search@example.com"), c.id, { read }));
    const missing = await appError(downloadKubeconfig(await ctxFor("dev.search@example.com"), "no-such-cluster", { read }));
    expect(outsider).toMatchObject({ code: "NOT_FOUND", message: "Cluster was not found." });
    expect(missing).toMatchObject({ code: "NOT_FOUND", message: outsider.message });
    expect((await downloads(c.id)).length).toBe(before);
  });

  it("audits every download (who, team, request, address) and counts it in vcp_kubeconfig_downloads_total", async () => {
    const c = await clusterIn("kc-audit", "READY");
    const read: KubeconfigReader = async (_host, spec) => `current-context: ${spec.teamSlug}-${spec.name}\n`;
    const counted = await counter();
    await downloadKubeconfig(await ctxFor("dev.payments@example.com"), c.id, { read });
    await downloadKubeconfig(await ctxFor("dev.payments@example.com"), c.id, { read });
    await downloadKubeconfig(await ctxFor("admin@example.com"), c.id, { read });

    const rows = await downloads(c.id);
    expect(rows.map((r) => r.actorEmail)).toEqual(["dev.payments@example.com", "dev.payments@example.com", "admin@example.com"]);
    for (const r of rows) {
      expect(r).toMatchObject({ targetType: "cluster", teamId: teams.payments, ip: "203.0.113.7", requestId: `req-${r.actorEmail}` });
      expect(r.details).toMatchObject({ name: "kc-audit", host: "local", server: "exported" });
    }
    expect(await counter()).toBe(counted + 3);
  });

  it("refuses with a readable CONFLICT until the cluster is ready (and until its Secret exists), auditing nothing", async () => {
    const provisioning = await clusterIn("kc-early", "PROVISIONING");
    const early = await appError(downloadKubeconfig(await ctxFor("dev.payments@example.com"), provisioning.id));
    expect(early).toMatchObject({ code: "CONFLICT", status: 409 });
    expect(early.message).toBe("The kubeconfig of kc-early is available once the cluster is ready; it is provisioning now.");

    // READY in the database, but nothing on the host yet: the real read finds no Secret.
    const noSecret = await clusterIn("kc-nosecret", "READY");
    const e = await appError(downloadKubeconfig(await ctxFor("dev.payments@example.com"), noSecret.id));
    expect(e).toMatchObject({ code: "CONFLICT" });
    expect(e.message).toMatch(/not written yet/);
    expect(await downloads(provisioning.id)).toEqual([]);
    expect(await downloads(noSecret.id)).toEqual([]);
  });
});
