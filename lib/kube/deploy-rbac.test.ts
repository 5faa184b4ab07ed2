import fs from "node:fs";
import path from "node:path";
import { parseAllDocuments } from "yaml";
import { describe, expect, it } from "vitest";
import { TENANT_ROLE_NAME } from "./host-objects";

// Static guards on deploy/rbac and deploy/admission (the real proof is lib/kube/rbac.int.test.ts, against an API
// server): what the portal holds cluster-wide stays what cannot be namespaced.

type Rule = { apiGroups: string[]; resources: string[]; verbs: string[]; resourceNames?: string[] };
type Doc = { kind: string; metadata: { name: string; namespace?: string }; rules?: Rule[]; roleRef?: { name: string }; spec?: Record<string, unknown> };

const docs = (file: string): Doc[] =>
  parseAllDocuments(fs.readFileSync(path.join(process.cwd(), file), "utf8"))
    .map((d) => d.toJS() as Doc | null)
    .filter((d): d is Doc => !!d?.kind);

const portal = docs("deploy/rbac/portal-clusterrole.yaml");
const clusterWide = portal.find((d) => d.kind === "ClusterRole" && d.metadata.name === "vcluster-portal")!;
const tenant = docs("deploy/rbac/tenant-clusterrole.yaml").find((d) => d.kind === "ClusterRole")!;

describe("deploy/rbac", () => {
  it("cluster-wide: no Secrets, pods, exec, workloads, escalate, impersonate or wildcards", () => {
    const forbidden = new Set(["secrets", "pods", "pods/exec", "pods/attach", "pods/portforward", "serviceaccounts", "serviceaccounts/token", "statefulsets", "deployments", "configmaps", "roles"]);
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
    const role = portal.find((d) => d.kind === "Role")!;
    expect(role.metadata.namespace).toBe("default");
    for (const r of role.rules!) expect(r).toMatchObject({ verbs: ["get"], resourceNames: ["kubernetes"] });
  });

  it("the tenant role is the one the portal binds, is not bound cluster-wide, and has no escalate/bind/impersonate", () => {
    expect(tenant.metadata.name).toBe(TENANT_ROLE_NAME);
    expect(portal.filter((d) => d.kind === "ClusterRoleBinding").map((d) => d.roleRef!.name)).toEqual(["vcluster-portal"]);
    for (const r of tenant.rules!) expect(r.verbs.filter((v) => ["escalate", "bind", "impersonate", "*"].includes(v))).toEqual([]);
  });

  it("the admission policy matches the identity the ClusterRoleBinding names, and denies", () => {
    const [policy, binding] = docs("deploy/admission/portal-guard.yaml");
    const subject = (portal.find((d) => d.kind === "ClusterRoleBinding") as unknown as { subjects: { name: string; namespace: string }[] }).subjects[0]!;
    expect(JSON.stringify(policy!.spec)).toContain(`system:serviceaccount:${subject.namespace}:${subject.name}`);
    expect(binding!.spec).toMatchObject({ policyName: policy!.metadata.name, validationActions: ["Deny"] });
    expect(policy!.spec).toMatchObject({ failurePolicy: "Fail" });
  });
});
