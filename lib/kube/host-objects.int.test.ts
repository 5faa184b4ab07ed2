import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { V1Container, V1NetworkPolicy, V1Pod } from "@kubernetes/client-node";
import { clientFor, testHostKubeconfig, testSpec, uniqueTeam, waitFor } from "@/scripts/vcluster-emulator/testing";
import { applyAll, deleteIfExists, getOrNull } from "./apply";
import type { KubeClient } from "./client";
import { toKubeError } from "./errors";
import { buildHostObjects, ISOLATE_POLICY_NAME } from "./host-objects";
import { NamespaceOwnershipError, apiServerEndpoints, ensureHostObjects } from "./ensure-host-objects";
import { deleteAll } from "./vcluster-delete";

const team = uniqueTeam();
const spec = testSpec(team, "objects");
let client: KubeClient;

function pod(name: string, container: Partial<V1Container>): V1Pod {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: spec.namespace },
    spec: { containers: [{ name: "c", image: "registry.k8s.io/pause:3.10", ...container }] },
  };
}

beforeAll(async () => {
  client = clientFor(await testHostKubeconfig());
});

afterAll(async () => {
  await deleteIfExists(client, { apiVersion: "v1", kind: "Namespace", metadata: { name: spec.namespace } });
});

describe("host objects on a real API server", () => {
  it("applying twice is idempotent (no new resourceVersion) and owned by field manager vcluster-portal", async () => {
    const apiServer = await apiServerEndpoints(client);
    const objects = buildHostObjects(spec, { apiServer });
    await applyAll(client, objects);
    // the quota controller writes the quota's status once; let it, so only our writes could change versions
    await waitFor("quota status", async () => (await client.core.readNamespacedResourceQuota({ name: "vcluster-portal-quota", namespace: spec.namespace })).status?.hard);
    const first = await applyAll(client, objects);
    const second = await applyAll(client, objects);
    expect(second.map((o) => o.metadata?.resourceVersion)).toEqual(first.map((o) => o.metadata?.resourceVersion));
    for (const o of second) {
      expect(o.metadata?.managedFields?.some((f) => f.manager === "vcluster-portal" && f.operation === "Apply")).toBe(true);
    }
    await ensureHostObjects(client, spec); // the reconciler's entry point: also a no-op now
    const ns = await client.core.readNamespace({ name: spec.namespace });
    expect(ns.metadata?.resourceVersion).toBe(first[0]!.metadata?.resourceVersion);
    // a restricted template: the host enforces baseline (what the real control plane passes)
    expect(ns.metadata?.labels?.["pod-security.kubernetes.io/enforce"]).toBe("baseline");
    const np = await getOrNull<V1NetworkPolicy>(client, { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name: ISOLATE_POLICY_NAME, namespace: spec.namespace } });
    expect(np?.spec?.policyTypes).toEqual(["Ingress", "Egress"]);
    expect(np?.spec?.ingress?.[0]?._from).toEqual([{ podSelector: {} }]);
    const quota = await client.core.readNamespacedResourceQuota({ name: "vcluster-portal-quota", namespace: spec.namespace });
    expect(quota.spec?.hard).toEqual({ "requests.cpu": "2", "requests.memory": "4Gi" });
  });

  it("a changed size is applied in place", async () => {
    await ensureHostObjects(client, { ...spec, cpuMillicores: 1500 });
    const quota = await client.core.readNamespacedResourceQuota({ name: "vcluster-portal-quota", namespace: spec.namespace });
    expect(quota.spec?.hard?.["requests.cpu"]).toBe("1500m");
    await ensureHostObjects(client, spec);
  });

  it("the tenant namespace rejects a privileged pod and admits a restricted one", async () => {
    const denied = await client.core
      .createNamespacedPod({ namespace: spec.namespace, body: pod("privileged", { securityContext: { privileged: true } }) })
      .then(() => null, (e: unknown) => toKubeError(e));
    expect(denied?.kind).toBe("Forbidden");
    expect(denied?.message).toMatch(/violates PodSecurity "baseline:latest".*privileged/);

    const ok = await client.core.createNamespacedPod({
      namespace: spec.namespace,
      dryRun: "All",
      body: {
        ...pod("restricted", {
          securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] }, runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: "RuntimeDefault" } },
        }),
      },
    });
    // LimitRange filled in the requests the quota demands
    expect(ok.spec?.containers[0]?.resources?.requests).toEqual({ cpu: "100m", memory: "128Mi" });
  });

  it("never applies into, or deletes, a namespace that is another cluster's or not the portal's", async () => {
    // Another cluster whose row (wrongly) names this cluster's namespace.
    const intruder = { ...testSpec(team, "intruder"), namespace: spec.namespace, cpuMillicores: 64_000 };
    const refused = (await ensureHostObjects(client, intruder).catch((e: unknown) => e)) as Error;
    expect(refused).toBeInstanceOf(NamespaceOwnershipError);
    expect(refused.message).toMatch(/belongs to another virtual cluster \(clu-objects\)/);
    const quota = await client.core.readNamespacedResourceQuota({ name: "vcluster-portal-quota", namespace: spec.namespace });
    expect(quota.spec?.hard?.["requests.cpu"]).toBe("2"); // untouched
    const driver = { name: "helm" as const, install: async () => {}, status: async () => ({ installed: false, ready: false }), uninstall: async () => ({ gone: true }) };
    expect(await deleteAll(client, driver, intruder)).toEqual({ gone: true });
    expect((await client.core.readNamespace({ name: spec.namespace })).metadata?.deletionTimestamp).toBeUndefined();

    // A namespace the portal never created (no managed-by label) is refused too.
    const foreign = testSpec(team, "foreign");
    await client.core.createNamespace({ body: { metadata: { name: foreign.namespace } } });
    try {
      await expect(ensureHostObjects(client, foreign)).rejects.toThrow(/was not created by vcluster-portal/);
      expect(await deleteAll(client, driver, foreign)).toEqual({ gone: true });
      expect((await client.core.readNamespace({ name: foreign.namespace })).metadata?.deletionTimestamp).toBeUndefined();
    } finally {
      await deleteIfExists(client, { apiVersion: "v1", kind: "Namespace", metadata: { name: foreign.namespace } });
    }
  });

  it("deleteIfExists reports deleting, then absent", async () => {
    const other = testSpec(team, "gone");
    await ensureHostObjects(client, { ...other, isolateNetwork: false });
    const ref = { apiVersion: "v1", kind: "Namespace", metadata: { name: other.namespace } };
    expect(await deleteIfExists(client, ref)).toBe("deleting");
    await waitFor("namespace deletion", async () => (await getOrNull(client, ref)) === null, 60_000);
    expect(await deleteIfExists(client, ref)).toBe("absent");
  });
});
