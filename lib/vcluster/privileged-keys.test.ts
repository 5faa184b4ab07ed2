import { describe, expect, it } from "vitest";
import { SUPPORTED_CHART_VERSIONS } from "./chart-versions";
import { PRIVILEGED_KEYS, privilegedKeyMessage, privilegedKeysIn } from "./privileged-keys";
import { validateVclusterValues } from "./validate-values";
import { VALUES_SCHEMAS } from "./values-schemas";

type TSchemaNode = { $ref?: string; properties?: Record<string, TSchemaNode>; $defs?: Record<string, TSchemaNode> };

function schemaHas(schema: TSchemaNode, path: string): boolean {
  const deref = (n: TSchemaNode): TSchemaNode => (n.$ref ? deref(schema.$defs![n.$ref.replace("#/$defs/", "")]!) : n);
  let node: TSchemaNode | undefined = schema;
  for (const key of path.split(".")) {
    node = deref(node).properties?.[key];
    if (!node) return false;
  }
  return true;
}

const hostPathVolume = { name: "host", hostPath: { path: "/var/lib" } };

// [what, values, version settings, the paths reported]
const table: [string, Record<string, unknown>, { podSecurityStandard?: string }, string[]][] = [
  ["nothing privileged: the seeded templates' values", { controlPlane: { backingStore: { etcd: { deploy: { enabled: true } } } }, policies: { podSecurityStandard: "restricted" } }, {}, []],
  ["an empty vcluster.yaml", {}, {}, []],
  ["the control plane's pod security context", { controlPlane: { statefulSet: { security: { podSecurityContext: { runAsUser: 0 } } } } }, {}, ["controlPlane.statefulSet.security.podSecurityContext"]],
  ["the control plane's container security context", { controlPlane: { statefulSet: { security: { containerSecurityContext: { privileged: true } } } } }, {}, ["controlPlane.statefulSet.security.containerSecurityContext"]],
  ["empty security contexts take no effect", { controlPlane: { statefulSet: { security: { podSecurityContext: {}, containerSecurityContext: {} } } } }, {}, []],
  ["a hostPath volume", { controlPlane: { statefulSet: { persistence: { addVolumes: [{ name: "data", emptyDir: {} }, hostPathVolume], addVolumeMounts: [{ name: "host", mountPath: "/host" }] } } } }, {}, ["controlPlane.statefulSet.persistence.addVolumes[1].hostPath"]],
  ["an emptyDir volume is fine", { controlPlane: { statefulSet: { persistence: { addVolumes: [{ name: "data", emptyDir: {} }] } } } }, {}, []],
  ["a hostPath volume on deployed etcd", { controlPlane: { backingStore: { etcd: { deploy: { enabled: true, statefulSet: { persistence: { addVolumes: [hostPathVolume] } } } } } } }, {}, ["controlPlane.backingStore.etcd.deploy.statefulSet.persistence.addVolumes[0].hostPath"]],
  ["extra Role rules", { rbac: { role: { extraRules: [{ apiGroups: [""], resources: ["secrets"], verbs: ["*"] }] } } }, {}, ["rbac.role.extraRules"]],
  ["overwritten Role rules", { rbac: { role: { overwriteRules: [{ apiGroups: ["*"], resources: ["*"], verbs: ["*"] }] } } }, {}, ["rbac.role.overwriteRules"]],
  ["extra ClusterRole rules", { rbac: { clusterRole: { extraRules: [{ apiGroups: [""], resources: ["nodes"], verbs: ["get"] }] } } }, {}, ["rbac.clusterRole.extraRules"]],
  ["a ClusterRole forced on", { rbac: { clusterRole: { enabled: true } } }, {}, ["rbac.clusterRole.enabled"]],
  ["the ClusterRole left to the chart", { rbac: { clusterRole: { enabled: "auto" }, role: { enabled: true } } }, {}, []],
  ["the host path mapper", { controlPlane: { hostPathMapper: { enabled: true } } }, {}, ["controlPlane.hostPathMapper"]],
  ["host nodes (and all their pods)", { sync: { fromHost: { nodes: { enabled: true } } } }, {}, ["sync.fromHost.nodes"]],
  ["host Secrets and ConfigMaps", { sync: { fromHost: { secrets: { enabled: true }, configMaps: { enabled: true } } } }, {}, ["sync.fromHost.secrets", "sync.fromHost.configMaps"]],
  ["host custom resources", { sync: { fromHost: { customResources: { "widgets.example.com": { enabled: true, scope: "Cluster" } } } } }, {}, ["sync.fromHost.customResources"]],
  ["harmless host classes and events", { sync: { fromHost: { storageClasses: { enabled: true }, ingressClasses: { enabled: true }, runtimeClasses: { enabled: true }, events: { enabled: true } } } }, {}, []],
  ["nodes off", { sync: { fromHost: { nodes: { enabled: false } } } }, {}, []],
  ["namespaces created on the host", { sync: { toHost: { namespaces: { enabled: true } } } }, {}, ["sync.toHost.namespaces"]],
  ["persistent volumes written on the host", { sync: { toHost: { persistentVolumes: { enabled: true } } } }, {}, ["sync.toHost.persistentVolumes"]],
  ["namespaced sync to the host is fine", { sync: { toHost: { ingresses: { enabled: true }, networkPolicies: { enabled: true }, serviceAccounts: { enabled: true } } } }, {}, []],
  ["host services replicated in", { networking: { replicateServices: { fromHost: [{ from: "kube-system/kube-dns", to: "default/dns" }] } } }, {}, ["networking.replicateServices.fromHost"]],
  ["host DNS fallback", { networking: { advanced: { fallbackHostCluster: true } } }, {}, ["networking.advanced.fallbackHostCluster"]],
  ["the chart's own network policy off is fine", { policies: { networkPolicy: { enabled: false } } }, {}, []],
  ["manifests deployed to the host", { experimental: { deploy: { host: { manifests: "apiVersion: v1\nkind: ConfigMap\n" } } } }, {}, ["experimental.deploy.host"]],
  ["manifests deployed inside the virtual cluster are fine", { experimental: { deploy: { vcluster: { manifests: "apiVersion: v1\nkind: ConfigMap\n" } } } }, {}, []],
  ["plugins", { plugins: { hooks: { image: "example.com/hooks:1" } } }, {}, ["plugins"]],
  ["an integration", { integrations: { kubeVirt: { enabled: true } } }, {}, ["integrations.kubeVirt"]],
  ["privileged pod security in the values", { policies: { podSecurityStandard: "privileged" } }, {}, ["policies.podSecurityStandard"]],
  ["privileged pod security on the version", {}, { podSecurityStandard: "privileged" }, ["podSecurityStandard"]],
  ["baseline pod security", { policies: { podSecurityStandard: "baseline" } }, { podSecurityStandard: "baseline" }, []],
];

describe("privileged vcluster.yaml keys", () => {
  it.each(table)("%s", (_, values, settings, paths) => {
    expect(privilegedKeysIn(values, settings).map((u) => u.path)).toEqual(paths);
  });

  it.each(SUPPORTED_CHART_VERSIONS)("every example is valid for chart %s, so the keys are real", (chart) => {
    for (const [what, values] of table) {
      const r = validateVclusterValues(chart, values);
      expect(r.ok ? [] : r.errors.map((e) => `${what}: ${e.message}`)).toEqual([]);
    }
  });

  it.each(SUPPORTED_CHART_VERSIONS)("every listed path exists in the values schema of chart %s", (chart) => {
    const concrete = PRIVILEGED_KEYS.map((k) => k.path).filter((p) => /^[a-zA-Z.]+$/.test(p));
    expect(concrete.length).toBeGreaterThan(10);
    expect(concrete.filter((p) => !schemaHas(VALUES_SCHEMAS[chart] as TSchemaNode, p))).toEqual([]);
    for (const p of ["sync.fromHost", "integrations", "policies.podSecurityStandard", "controlPlane.statefulSet.persistence.addVolumes"]) {
      expect(schemaHas(VALUES_SCHEMAS[chart] as TSchemaNode, p)).toBe(true);
    }
  });

  it("the message names the key and says how to publish it anyway", () => {
    const [use] = privilegedKeysIn({ rbac: { clusterRole: { extraRules: [{ apiGroups: [""], resources: ["nodes"], verbs: ["get"] }] } } });
    expect(privilegedKeyMessage(use!)).toBe(
      "rbac.clusterRole.extraRules: adds host-wide rules to the control plane's ClusterRole. This widens host privileges; mark the version privileged (admins only) to publish it.",
    );
  });
});
