// The reconciler end to end on the real local host cluster (scripts/testenv/real-host-reconciler.ts): a Sandbox
// provisioned with exactly the expected host objects and a working kubeconfig, sleep/wake/delete, drift repair, expiry.
import { describe, expect, it } from "vitest";
import { CoreV1Api } from "@kubernetes/client-node";
import { parse } from "yaml";
import { deleteCluster } from "@/lib/domain/delete-cluster";
import { removeHostLicence } from "@/lib/domain/remove-host-licence";
import { setHostLicence } from "@/lib/domain/set-host-licence";
import { sleepCluster } from "@/lib/domain/sleep-cluster";
import { wakeCluster } from "@/lib/domain/wake-cluster";
import { orNull } from "@/lib/kube/errors";
import { readKubeconfig } from "@/lib/kube/vcluster-kubeconfig";
import { throughRoute } from "@/scripts/vcluster-emulator/testing";
import { hostEnforceLevel } from "@/lib/kube/host-objects";
import { MANAGED_BY_POD_LABEL } from "@/lib/kube/vcluster-control-plane";
import { kubeHostOps } from "./host-ops";
import { driftSweep, expirySweep } from "./sweeps";
import { CLUSTER_SPEC_INCLUDE, specFromRow } from "@/lib/domain/spec-from-row";
import { waitForPhase, waitUntil } from "@/scripts/testenv/fake-host";
import { setUpRealHostReconciler } from "@/scripts/testenv/real-host-reconciler";

const host = setUpRealHostReconciler();
const { startWorker, request, helmReleases, namespacesOfTeam, dropFromHost, eventTypes, startWorkloadPods } = host;

describe("on the real host cluster", () => {
  it("provisions a Sandbox request to READY with exactly the expected host objects", async () => {
    startWorker();
    const t0 = Date.now();
    const c = await request();
    const ready = await waitForPhase(host.prisma, c.id, "READY", 90_000);
    const seconds = (Date.now() - t0) / 1000;
    console.info(`[timing] Sandbox request→READY on the local host: ${seconds.toFixed(1)} s (readyAt−createdAt ${((ready.readyAt!.getTime() - ready.createdAt.getTime()) / 1000).toFixed(1)} s)`);
    const ns = c.namespace!;
    const version = await host.prisma.templateVersion.findUniqueOrThrow({ where: { id: c.templateVersionId } });

    expect(await namespacesOfTeam()).toEqual([ns]);
    const namespace = await host.kube.core.readNamespace({ name: ns });
    expect(namespace.metadata?.labels).toMatchObject({
      "app.kubernetes.io/managed-by": "vcluster-portal",
      "vcluster-portal.dev/team-id": host.team.teamId,
      "vcluster-portal.dev/cluster-id": c.id,
      // what the real control plane passes; the template's level is enforced inside the virtual cluster
      "pod-security.kubernetes.io/enforce": hostEnforceLevel(version.podSecurityStandard as "baseline"),
    });
    // Exactly one quota and one limit range, sized from the template (the chart's own are disabled).
    const quotas = (await host.kube.core.listNamespacedResourceQuota({ namespace: ns })).items.map((q) => [q.metadata!.name, q.spec?.hard]);
    expect(quotas).toEqual([["vcluster-portal-quota", { "requests.cpu": "1", "requests.memory": "2Gi" }]]);
    expect((await host.kube.core.listNamespacedLimitRange({ namespace: ns })).items.map((l) => l.metadata!.name)).toEqual(["vcluster-portal-limits"]);
    expect((await host.kube.net.listNamespacedNetworkPolicy({ namespace: ns })).items.map((p) => p.metadata!.name).sort()).toEqual(["isolate-vcluster", "vcluster-api-ingress"]);
    expect(helmReleases(ns)).toEqual([c.releaseName]);
    const sts = await host.kube.apps.readNamespacedStatefulSet({ name: c.releaseName!, namespace: ns });
    expect(sts.status?.readyReplicas).toBe(1);
    expect(sts.spec?.template.spec?.containers[0]?.env).toEqual(
      expect.arrayContaining([
        { name: "VCLUSTER_PHYSICAL_CLIENT_QPS", value: "20" },
        { name: "VCLUSTER_PHYSICAL_CLIENT_BURST", value: "40" },
      ]),
    );
    expect(await orNull(host.kube.core.readNamespacedSecret({ name: `vc-${c.releaseName}`, namespace: ns }))).not.toBeNull();

    expect(await eventTypes(c.id)).toEqual(["requested", "namespace-created", "release-installed", "ready"]);
    expect(ready).toMatchObject({ attempts: 0, lastError: null, observedGeneration: ready.generation });

    // The kubeconfig the portal hands out names the exported address and, through the host's route to it
    // (TLS verifying that name), reaches the virtual cluster's own API server.
    const row = await host.prisma.virtualCluster.findUniqueOrThrow({ where: { id: c.id }, include: CLUSTER_SPEC_INCLUDE });
    const yaml = await readKubeconfig(host.kube, specFromRow(row), null);
    const exported = `https://${c.releaseName}.${ns}.vc.example.test`;
    expect((parse(yaml) as { clusters: { cluster: { server: string } }[] }).clusters[0]!.cluster.server).toBe(exported);
    const kc = throughRoute(yaml, host.emulator, ns, c.releaseName!);
    expect(kc.getCurrentCluster()?.tlsServerName).toBe(new URL(exported).hostname);
    const inside = await kc.makeApiClient(CoreV1Api).listNamespace();
    expect(inside.items.map((i) => i.metadata?.name)).toContain("default");
  });

  it("sleeps (no workload pod survives), wakes and deletes end to end; deletion removes release and namespace before DELETED", async () => {
    startWorker();
    const c = await request();
    await waitForPhase(host.prisma, c.id, "READY", 90_000);
    const ns = c.namespace!;

    // Pods the syncer would have created on the host, running on kwok nodes.
    const workloads = await startWorkloadPods(ns, c.releaseName!, 3);
    await sleepCluster(host.team.member, { clusterId: c.id });
    await waitForPhase(host.prisma, c.id, "SLEEPING", 60_000);
    let sts = await host.kube.apps.readNamespacedStatefulSet({ name: c.releaseName!, namespace: ns });
    expect(sts.spec?.replicas).toBe(0);
    expect(sts.metadata?.annotations?.["loft.sh/paused"]).toBe("true");
    const left = await host.kube.core.listNamespacedPod({ namespace: ns, labelSelector: `${MANAGED_BY_POD_LABEL}=${c.releaseName}` });
    expect(left.items.filter((p) => !p.metadata?.deletionTimestamp).map((p) => p.metadata?.name)).toEqual([]);
    expect(workloads).toHaveLength(3);

    const t0 = Date.now();
    await wakeCluster(host.team.member, { clusterId: c.id });
    await waitForPhase(host.prisma, c.id, "READY", 60_000);
    console.info(`[timing] wake→READY: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    sts = await host.kube.apps.readNamespacedStatefulSet({ name: c.releaseName!, namespace: ns });
    expect(sts.spec?.replicas).toBe(1);
    expect(sts.metadata?.annotations?.["loft.sh/paused"]).toBeUndefined();

    const t1 = Date.now();
    await deleteCluster(host.team.member, { clusterId: c.id });
    const deleted = await waitForPhase(host.prisma, c.id, "DELETED", 90_000);
    console.info(`[timing] delete→DELETED: ${((Date.now() - t1) / 1000).toFixed(1)} s`);
    expect(deleted.deletedAt).not.toBeNull();
    expect(await orNull(host.kube.core.readNamespace({ name: ns }))).toBeNull();
    const live = await host.prisma.virtualCluster.count({ where: { id: c.id, phase: { in: ["PROVISIONING", "READY", "SLEEPING", "DELETING", "FAILED", "PENDING_APPROVAL"] } } });
    expect(live).toBe(0); // no longer counted against the team's quota
  });

  it("repairs drift: deleting the namespace behind the portal's back gets it recreated", async () => {
    startWorker();
    const c = await request();
    await waitForPhase(host.prisma, c.id, "READY", 90_000);
    const before = await host.kube.core.readNamespace({ name: c.namespace! });
    await host.kube.core.deleteNamespace({ name: c.namespace! });
    await waitUntil("the namespace to be gone", async () => (await orNull(host.kube.core.readNamespace({ name: c.namespace! }))) === null, 60_000, 500);

    const r = await driftSweep(host.prisma, kubeHostOps);
    expect(r.drifted).toBeGreaterThanOrEqual(1);
    await waitForPhase(host.prisma, c.id, "READY", 90_000);
    const after = await host.kube.core.readNamespace({ name: c.namespace! });
    expect(after.metadata?.uid).not.toBe(before.metadata?.uid);
    expect(helmReleases(c.namespace!)).toEqual([c.releaseName]);
    const types = await eventTypes(c.id);
    expect(types.slice(-4)).toEqual(["drift-detected", "namespace-created", "release-installed", "resumed"]);
    await dropFromHost([c]);
  });

  it("expires a cluster past its lifetime: removed from the host, EXPIRED", async () => {
    startWorker();
    const c = await request();
    await waitForPhase(host.prisma, c.id, "READY", 90_000);
    await host.prisma.virtualCluster.update({ where: { id: c.id }, data: { expiresAt: new Date(Date.now() - 1_000) } });
    expect((await expirySweep(host.prisma)).deleted).toBe(1);
    await waitForPhase(host.prisma, c.id, "EXPIRED", 90_000);
    expect(await orNull(host.kube.core.readNamespace({ name: c.namespace! }))).toBeNull();
    expect(await host.prisma.auditEvent.count({ where: { targetId: c.id, action: "cluster.expire", actorEmail: "system" } })).toBe(1);
  });

  it("on a host with a licence runs the licensed control plane with its licence Secret; without it again after the next install", async () => {
    startWorker();
    const local = await host.prisma.hostCluster.findUniqueOrThrow({ where: { name: "local" } });
    await setHostLicence(host.team.admin, { hostId: local.id, platformHost: "platform.example.test", accessKey: "test-access-key", project: "payments" });
    const c = await request();
    await waitForPhase(host.prisma, c.id, "READY", 90_000);
    const ns = c.namespace!;
    const image = async () =>
      (await host.kube.apps.readNamespacedStatefulSet({ name: c.releaseName!, namespace: ns })).spec?.template.spec?.containers.find((x) => x.name === "syncer")?.image;
    const licenceSecret = () => orNull(host.kube.core.readNamespacedSecret({ name: "vcluster-platform-api-key", namespace: ns }));
    expect(await image()).toMatch(/^ghcr\.io\/loft-sh\/vcluster-pro:/);
    const secret = await licenceSecret();
    const decoded = Object.fromEntries(Object.entries(secret?.data ?? {}).map(([k, v]) => [k, Buffer.from(v, "base64").toString()]));
    expect(decoded).toEqual({ accessKey: "test-access-key", host: "platform.example.test", project: "payments", insecure: "false" });

    // Removed: the running control plane is left alone until its next install (here a sleep and a wake).
    await removeHostLicence(host.team.admin, { hostId: local.id });
    await sleepCluster(host.team.member, { clusterId: c.id });
    await waitForPhase(host.prisma, c.id, "SLEEPING", 60_000);
    expect(await licenceSecret()).not.toBeNull();
    await wakeCluster(host.team.member, { clusterId: c.id });
    await waitForPhase(host.prisma, c.id, "READY", 60_000);
    expect(await image()).toMatch(/^ghcr\.io\/loft-sh\/vcluster-oss:/);
    expect(await licenceSecret()).toBeNull();
    await dropFromHost([c]);
  });
});
