// The vcluster CLI and the portal on the real local host cluster (scripts/testenv/real-host-reconciler.ts): the
// reconciler follows what `vcluster pause`, `resume` and `restore` write instead of undoing it.
import { describe, expect, it } from "vitest";
import { PatchStrategy, setHeaderOptions } from "@kubernetes/client-node";
import { sleepCluster } from "@/lib/domain/sleep-cluster";
import { MANAGED_BY_POD_LABEL, PAUSED_ANNOTATION, PAUSED_DATE_ANNOTATION, PAUSED_REPLICAS_ANNOTATION } from "@/lib/kube/vcluster-control-plane";
import { kubeHostOps } from "./host-ops";
import { driftSweep } from "./sweeps";
import { ConcurrencyProbe, waitForPhase, waitUntil } from "@/scripts/testenv/fake-host";
import { setUpRealHostReconciler } from "@/scripts/testenv/real-host-reconciler";

const host = setUpRealHostReconciler();
const { startWorker, request, dropFromHost, eventTypes, startWorkloadPods } = host;

describe("the vcluster CLI and the portal", () => {
  it("follows `vcluster pause` and `vcluster resume` within one drift sweep, without undoing them", async () => {
    startWorker();
    const c = await request();
    await waitForPhase(host.prisma, c.id, "READY", 90_000);
    const ns = c.namespace!;
    await startWorkloadPods(ns, c.releaseName!, 1);

    // What `vcluster pause` writes (pkg/lifecycle: merge patch of annotations + replicas, then delete the pods).
    await cliPause(ns, c.releaseName!);
    expect((await driftSweep(host.prisma, kubeHostOps)).followed).toBe(1);
    const slept = await waitForPhase(host.prisma, c.id, "SLEEPING", 60_000);
    expect(slept.desiredState).toBe("SLEEPING");
    const paused = await host.kube.apps.readNamespacedStatefulSet({ name: c.releaseName!, namespace: ns });
    expect(paused.spec?.replicas).toBe(0); // not woken up again
    expect((await eventTypes(c.id)).slice(-2)).toEqual(["sleep-requested", "slept"]);
    expect(await host.prisma.auditEvent.count({ where: { targetId: c.id, action: "cluster.sleep", actorEmail: "system" } })).toBe(1);

    // What `vcluster resume` writes: the saved replica count back, the annotations removed.
    await cliResume(ns, c.releaseName!);
    expect((await driftSweep(host.prisma, kubeHostOps)).followed).toBe(1);
    const woken = await waitForPhase(host.prisma, c.id, "READY", 90_000);
    expect(woken.desiredState).toBe("RUNNING");
    expect((await host.kube.apps.readNamespacedStatefulSet({ name: c.releaseName!, namespace: ns })).spec?.replicas).toBe(1);
    expect((await driftSweep(host.prisma, kubeHostOps)).followed).toBe(0); // settled: nothing more to follow
    await dropFromHost([c]);
  });

  it("leaves a control plane alone while `vcluster restore` holds it (loft.sh/restoring)", async () => {
    const probe = new ConcurrencyProbe();
    startWorker({ probe });
    const c = await request();
    await waitForPhase(host.prisma, c.id, "READY", 90_000);
    const ns = c.namespace!;
    await host.kube.apps.patchNamespacedStatefulSet(
      { name: c.releaseName!, namespace: ns, body: { metadata: { annotations: { "loft.sh/restoring": "true", [PAUSED_REPLICAS_ANNOTATION]: "1" } }, spec: { replicas: 0 } } },
      setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
    );
    await sleepCluster(host.team.member, { clusterId: c.id });
    const before = probe.steps;
    await waitUntil("three more reconcile steps", async () => probe.steps >= before + 3, 30_000, 200);
    const sts = await host.kube.apps.readNamespacedStatefulSet({ name: c.releaseName!, namespace: ns });
    expect(sts.metadata?.annotations?.[PAUSED_ANNOTATION]).toBeUndefined(); // not paused over the restore
    expect((await host.prisma.virtualCluster.findUniqueOrThrow({ where: { id: c.id } })).phase).toBe("READY");
    await dropFromHost([c]);
  });
});

async function cliPause(namespace: string, release: string) {
  const sts = await host.kube.apps.readNamespacedStatefulSet({ name: release, namespace });
  await host.kube.apps.patchNamespacedStatefulSet(
    {
      name: release,
      namespace,
      body: {
        metadata: { annotations: { [PAUSED_ANNOTATION]: "true", [PAUSED_REPLICAS_ANNOTATION]: String(sts.spec?.replicas ?? 1), [PAUSED_DATE_ANNOTATION]: new Date().toISOString() } },
        spec: { replicas: 0 },
      },
    },
    setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
  );
  await waitUntil("control plane scaled down", async () => ((await host.kube.apps.readNamespacedStatefulSet({ name: release, namespace })).status?.replicas ?? 0) === 0, 60_000, 300);
  await host.kube.core.deleteCollectionNamespacedPod({ namespace, labelSelector: `${MANAGED_BY_POD_LABEL}=${release}` });
}

async function cliResume(namespace: string, release: string) {
  const sts = await host.kube.apps.readNamespacedStatefulSet({ name: release, namespace });
  const replicas = Number(sts.metadata?.annotations?.[PAUSED_REPLICAS_ANNOTATION] ?? "1");
  await host.kube.apps.patchNamespacedStatefulSet(
    { name: release, namespace, body: { metadata: { annotations: { [PAUSED_ANNOTATION]: null, [PAUSED_REPLICAS_ANNOTATION]: null, [PAUSED_DATE_ANNOTATION]: null } }, spec: { replicas } } },
    setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
  );
}
