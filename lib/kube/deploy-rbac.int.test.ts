import { beforeAll, describe, expect, it } from "vitest";
import { pick, renderChart, requiredValues, type ChartObject } from "@/deploy/helm/portal-chart";
import { TENANT_ROLE_NAME } from "./host-objects";
import { MANAGED_BY, MANAGED_BY_LABEL } from "./cluster-spec";

// Static guards on the identity the portal's Helm chart renders (the real proof is lib/kube/rbac.int.test.ts, against
// an API server): what the portal holds cluster-wide stays what cannot be namespaced, and the names the code relies on
// are the chart's. Integration tier: it needs the helm that scripts/k8s builds.

type Rule = { apiGroups: string[]; resources: string[]; verbs: string[]; resourceNames?: string[] };
type Rbac = ChartObject & { rules?: Rule[]; roleRef?: { name: string }; subjects?: { kind: string; name: string; namespace: string }[]; spec?: Record<string, unknown> };

const release = { name: "portal", namespace: "platform" };
let objects: Rbac[];
let clusterWide: Rbac;
let tenant: Rbac;

beforeAll(async () => {
  objects = (await renderChart(release, requiredValues())).objects as Rbac[];
  clusterWide = pick(objects, "ClusterRole", "portal-vcluster-portal") as Rbac;
  tenant = pick(objects, "ClusterRole", TENANT_ROLE_NAME) as Rbac;
});

describe("the chart's RBAC for the portal", () => {
  it("cluster-wide: no Secrets, pods, exec, workload writes, escalate, impersonate or wildcards", () => {
    const forbidden = new Set(["secrets", "pods", "pods/exec", "pods/attach", "pods/portforward", "serviceaccounts", "serviceaccounts/token", "configmaps", "roles"]);
    expect(clusterWide.rules!.length).toBeGreaterThan(0);
    // Control planes are watched (rbac.watchControlPlanes): list and watch of workloads, nothing more.
    const workloads = clusterWide.rules!.filter((r) => r.resources.some((x) => x === "statefulsets" || x === "deployments"));
    expect(workloads).toEqual([{ apiGroups: ["apps"], resources: ["statefulsets", "deployments"], verbs: ["list", "watch"] }]);
    for (const r of clusterWide.rules!) {
      expect(r.resources.filter((x) => forbidden.has(x))).toEqual([]);
      expect(r.verbs.filter((v) => ["escalate", "impersonate", "*"].includes(v))).toEqual([]);
      expect(r.resources).not.toContain("*");
      expect(r.apiGroups).not.toContain("*");
    }
  });

  it("binds exactly one role, and writes cluster-wide only the one RoleBinding by name", () => {
    const bind = clusterWide.rules!.filter((r) => r.verbs.includes("bind"));
    expect(bind).toEqual([{ apiGroups: ["rbac.authorization.k8s.io"], resources: ["clusterroles"], verbs: ["bind"], resourceNames: [TENANT_ROLE_NAME] }]);
    const rb = clusterWide.rules!.filter((r) => r.resources.includes("rolebindings"));
    expect(rb).toEqual([{ apiGroups: ["rbac.authorization.k8s.io"], resources: ["rolebindings"], verbs: ["get", "create", "patch"], resourceNames: [TENANT_ROLE_NAME] }]);
  });

  it("the Role in default reads the kubernetes Service and EndpointSlice by name only", () => {
    const role = pick(objects, "Role") as Rbac;
    expect(role.metadata).toMatchObject({ name: "portal-vcluster-portal-apiserver", namespace: "default" });
    for (const r of role.rules!) expect(r).toMatchObject({ verbs: ["get"], resourceNames: ["kubernetes"] });
  });

  it("binds the release's ServiceAccount; the tenant role is the one the portal binds, not bound cluster-wide, with no escalate/bind/impersonate", () => {
    const sa = pick(objects, "ServiceAccount");
    expect(sa.metadata).toMatchObject({ name: "portal-vcluster-portal", namespace: "platform" });
    const bindings = objects.filter((o) => o.kind === "ClusterRoleBinding" || o.kind === "RoleBinding");
    expect(bindings.map((b) => b.roleRef!.name).sort()).toEqual(["portal-vcluster-portal", "portal-vcluster-portal-apiserver"]);
    for (const b of bindings) expect(b.subjects).toEqual([{ kind: "ServiceAccount", name: "portal-vcluster-portal", namespace: "platform" }]);
    for (const r of tenant.rules!) expect(r.verbs.filter((v) => ["escalate", "bind", "impersonate", "*"].includes(v))).toEqual([]);
  });

  it("the admission policy matches the ServiceAccount the bindings name, guards the label the code sets, refuses binding its roles, and denies", () => {
    const policy = pick(objects, "ValidatingAdmissionPolicy");
    const binding = pick(objects, "ValidatingAdmissionPolicyBinding");
    const spec = JSON.stringify(policy.spec);
    expect(spec).toContain("request.userInfo.username == 'system:serviceaccount:platform:portal-vcluster-portal'");
    expect(spec).toContain(`'${MANAGED_BY_LABEL}' in object.metadata.labels`);
    expect(spec).toContain(`== '${MANAGED_BY}'`);
    expect(spec).toContain(`object.roleRef.name in ['portal-vcluster-portal', '${TENANT_ROLE_NAME}']`);
    expect(binding.spec).toMatchObject({ policyName: policy.metadata.name, validationActions: ["Deny"] });
    expect(policy.spec).toMatchObject({ failurePolicy: "Fail" });
  });

  it("the FlowSchema classifies the release's ServiceAccount into the chart's priority level", () => {
    const flow = pick(objects, "FlowSchema") as Rbac & { spec: { priorityLevelConfiguration: { name: string }; rules: { subjects: unknown[] }[] } };
    expect(flow.spec.priorityLevelConfiguration.name).toBe(pick(objects, "PriorityLevelConfiguration").metadata.name);
    expect(flow.spec.rules[0]!.subjects).toEqual([{ kind: "ServiceAccount", serviceAccount: { name: "portal-vcluster-portal", namespace: "platform" } }]);
  });
});
