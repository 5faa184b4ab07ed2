import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { cpuQuantity, memoryQuantity, namespaceName, newNamespaceSuffix, releaseName, type ClusterSpec } from "./cluster-spec";
import {
  TemplateValuesError,
  buildHostObjects,
  buildIsolationPolicy,
  buildLimitRange,
  buildNamespace,
  buildResourceQuota,
  buildTenantRoleBinding,
  buildVclusterValues,
  buildVclusterValuesObject,
  subjectForUsername,
} from "./host-objects";
import { buildPlatformSecret } from "./platform-licence-secret";

const spec: ClusterSpec = {
  clusterId: "clu_123",
  teamId: "team_9",
  teamSlug: "payments",
  name: "feature-x",
  namespace: namespaceName("payments", "feature-x", "q7w2e"),
  releaseName: releaseName("feature-x"),
  podSecurityStandard: "restricted",
  isolateNetwork: true,
  cpuMillicores: 2000,
  memoryMiB: 4096,
  templateValuesYaml: [
    "controlPlane:",
    "  backingStore:",
    "    etcd:",
    "      embedded:",
    "        enabled: true",
    "  statefulSet:",
    "    env:",
    "      - name: EXTRA",
    "        value: keep-me",
    "      - name: VCLUSTER_PHYSICAL_CLIENT_QPS",
    "        value: '999'",
    "    resources:",
    "      requests: { cpu: 200m }",
    "policies:",
    "  podSecurityStandard: privileged",
    "  resourceQuota:",
    "    enabled: false",
    "    quota:",
    "      count/pods: 50",
    "sync:",
    "  toHost:",
    "    ingresses: { enabled: true }",
  ].join("\n"),
  kubernetesVersion: "1.35",
  chart: { repo: "https://charts.loft.sh", name: "vcluster", version: "0.36.1" },
  syncerQps: 15,
  syncerBurst: 30,
  exportServer: "https://feature-x.vc.example.com",
  annotations: { "vcluster-portal.dev/owner": "ana@example.com" },
  hostRegistration: "0f6c1f9e-6a53-4a8e-9d55-2f0c2a1b7e10",
};

describe("names", () => {
  it("namespaceName is vc-<team>-<name>-<suffix>: the colliding pair of readable names gets two namespaces", () => {
    expect(namespaceName("payments", "feature-x", "q7w2e")).toBe("vc-payments-feature-x-q7w2e");
    const a = namespaceName("payments", "eu-dev", newNamespaceSuffix());
    const b = namespaceName("payments-eu", "dev", newNamespaceSuffix());
    expect(a).toMatch(/^vc-payments-eu-dev-[a-z0-9]{5}$/);
    expect(b).toMatch(/^vc-payments-eu-dev-[a-z0-9]{5}$/);
    expect(a).not.toBe(b);
    expect(() => namespaceName("payments", "dev", "NOPE!")).toThrow(/suffix/);
  });

  it("namespaceName stays within 63 chars with a stable hash before the suffix and no dangling dash", () => {
    const long = namespaceName("a-very-long-team-slug-for-testing", "an-equally-long-virtual-cluster-name-here", "abcde");
    expect(long.length).toBe(63);
    expect(long).toMatch(/^vc-a-very-long-team-slug-for-testing-an-equally-lo-[0-9a-f]{6}-abcde$/);
    expect(namespaceName("a-very-long-team-slug-for-testing", "an-equally-long-virtual-cluster-name-here", "abcde")).toBe(long);
    // different inputs that share the prefix still get different namespaces
    expect(namespaceName("a-very-long-team-slug-for-testing", "an-equally-long-virtual-cluster-name-there", "abcde")).not.toBe(long);
    expect(long).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
  });

  it("releaseName is the cluster name, bounded to 40 and starting with a letter", () => {
    expect(releaseName("feature-x")).toBe("feature-x");
    expect(releaseName("1st")).toBe("vc-1st");
    const r = releaseName("x".repeat(60));
    expect(r.length).toBeLessThanOrEqual(40);
    expect(r).toMatch(/-[0-9a-f]{6}$/);
  });

  it("quantities", () => {
    expect([cpuQuantity(2000), cpuQuantity(1500), cpuQuantity(250)]).toEqual(["2", "1500m", "250m"]);
    expect([memoryQuantity(4096), memoryQuantity(1536), memoryQuantity(512)]).toEqual(["4Gi", "1536Mi", "512Mi"]);
  });
});

describe("host objects", () => {
  it("namespace carries ownership and Pod Security Admission labels at what the real control plane passes", () => {
    const ns = buildNamespace(spec);
    expect(ns.metadata?.name).toBe("vc-payments-feature-x-q7w2e");
    // A restricted template: vCluster enforces restricted inside; the host enforces baseline (the control plane runs as root).
    expect(ns.metadata?.labels).toMatchObject({
      "app.kubernetes.io/managed-by": "vcluster-portal",
      "vcluster-portal.dev/team-id": "team_9",
      "vcluster-portal.dev/cluster-id": "clu_123",
      "vcluster-portal.dev/registration": "0f6c1f9e-6a53-4a8e-9d55-2f0c2a1b7e10",
      "pod-security.kubernetes.io/enforce": "baseline",
      "pod-security.kubernetes.io/audit": "restricted",
      "pod-security.kubernetes.io/warn": "baseline",
    });
    expect(buildNamespace({ ...spec, podSecurityStandard: "baseline" }).metadata?.labels?.["pod-security.kubernetes.io/enforce"]).toBe("baseline");
    expect(buildNamespace({ ...spec, podSecurityStandard: "privileged" }).metadata?.labels?.["pod-security.kubernetes.io/enforce"]).toBe("privileged");
    expect(ns.metadata?.annotations).toEqual({ "vcluster-portal.dev/owner": "ana@example.com" });
  });

  it("quota and limit range come from the size", () => {
    expect(buildResourceQuota(spec).spec?.hard).toEqual({ "requests.cpu": "2", "requests.memory": "4Gi" });
    const small = buildLimitRange({ ...spec, cpuMillicores: 50, memoryMiB: 100 }).spec?.limits[0];
    expect(small?.defaultRequest).toEqual({ cpu: "50m", memory: "100Mi" });
    expect(small?._default).toEqual({ memory: "100Mi" });
    expect(buildLimitRange(spec).spec?.limits[0]?.defaultRequest).toEqual({ cpu: "100m", memory: "128Mi" });
  });

  it("isolate-vcluster: ingress from the namespace; egress to namespace, DNS, API server", () => {
    const np = buildIsolationPolicy(spec, { apiServer: [{ ip: "10.96.0.1", port: 443 }, { ip: "192.168.1.10", port: 6443 }] });
    expect(np.metadata).toMatchObject({ name: "isolate-vcluster", namespace: "vc-payments-feature-x-q7w2e" });
    expect(np.spec).toMatchSnapshot();
  });

  it("isolate-vcluster without known API server addresses allows only its ports", () => {
    expect(buildIsolationPolicy(spec).spec?.egress?.at(-1)).toEqual({
      ports: [
        { protocol: "TCP", port: 443 },
        { protocol: "TCP", port: 6443 },
      ],
    });
  });

  it("network policies are skipped when the template opts out", () => {
    expect(buildHostObjects(spec).map((o) => `${o.kind}/${o.metadata?.name}`)).toEqual([
      "Namespace/vc-payments-feature-x-q7w2e",
      "RoleBinding/vcluster-portal-tenant",
      "ServiceAccount/vcluster-portal-installer",
      "ResourceQuota/vcluster-portal-quota",
      "LimitRange/vcluster-portal-limits",
      "NetworkPolicy/isolate-vcluster",
      "NetworkPolicy/vcluster-api-ingress",
    ]);
    expect(buildHostObjects({ ...spec, isolateNetwork: false }).map((o) => o.kind)).toEqual(["Namespace", "RoleBinding", "ServiceAccount", "ResourceQuota", "LimitRange"]);
  });

  it("the tenant RoleBinding grants the tenant ClusterRole, in this namespace only, to the portal and the installer", () => {
    const portal = subjectForUsername("system:serviceaccount:vcluster-portal:vcluster-portal");
    expect(portal).toEqual({ kind: "ServiceAccount", name: "vcluster-portal", namespace: "vcluster-portal" });
    const rb = buildTenantRoleBinding(spec, portal);
    expect(rb.metadata).toMatchObject({ name: "vcluster-portal-tenant", namespace: spec.namespace, labels: { "app.kubernetes.io/managed-by": "vcluster-portal" } });
    expect(rb.roleRef).toEqual({ apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "vcluster-portal-tenant" });
    expect(rb.subjects).toEqual([portal, { kind: "ServiceAccount", name: "vcluster-portal-installer", namespace: spec.namespace }]);
    // a host kubeconfig for a person or a certificate: a User subject; unknown: the installer only
    expect(subjectForUsername("kubernetes-admin")).toEqual({ kind: "User", apiGroup: "rbac.authorization.k8s.io", name: "kubernetes-admin" });
    expect(buildTenantRoleBinding(spec).subjects).toHaveLength(1);
    expect(buildHostObjects(spec, { portalSubject: portal })[1]).toEqual(rb);
  });
});

describe("vcluster values", () => {
  it("generated values win over the template's; template-only keys survive", () => {
    const v = buildVclusterValuesObject(spec);
    expect(v.controlPlane).toEqual({
      backingStore: { etcd: { embedded: { enabled: true } } },
      statefulSet: {
        resources: { requests: { cpu: "200m" } },
        // the open-source image, not the chart's licensed default
        image: { repository: "loft-sh/vcluster-oss" },
        env: [
          { name: "EXTRA", value: "keep-me" },
          { name: "VCLUSTER_PHYSICAL_CLIENT_QPS", value: "15" },
          { name: "VCLUSTER_PHYSICAL_CLIENT_BURST", value: "30" },
        ],
      },
      // a full image tag the chart version offers; the deprecated `version` emptied so it cannot win
      distro: { k8s: { enabled: true, version: "", image: { tag: "v1.35.0" } } },
      proxy: { extraSANs: ["feature-x.vc.example.com"] },
    });
    // The chart's own quota and limit range stay off: the portal's pair is the only one in the namespace.
    expect(v.policies).toEqual({
      podSecurityStandard: "restricted",
      resourceQuota: { enabled: false, quota: { "count/pods": 50 } },
      limitRange: { enabled: false },
    });
    expect(v.exportKubeConfig).toEqual({ server: "https://feature-x.vc.example.com" });
    expect(v.sync).toEqual({ toHost: { ingresses: { enabled: true } } });
  });

  it("renders YAML that parses back to the same values", () => {
    const text = buildVclusterValues(spec);
    expect(text.startsWith("# Generated by vcluster-portal for vc-payments-feature-x-q7w2e/feature-x")).toBe(true);
    expect(parse(text)).toEqual(buildVclusterValuesObject(spec));
    expect(text).toMatchSnapshot();
  });

  it("no export server: no exportKubeConfig, no extra SANs; empty template works", () => {
    const v = buildVclusterValuesObject({ ...spec, exportServer: null, templateValuesYaml: "" });
    expect(v.exportKubeConfig).toBeUndefined();
    expect(Object.keys(v.controlPlane as object).sort()).toEqual(["distro", "statefulSet"]);
  });

  it("keeps a template's k3s distro instead of enabling a second one", () => {
    const v = buildVclusterValuesObject({ ...spec, templateValuesYaml: "controlPlane:\n  distro:\n    k3s:\n      enabled: true\n" });
    expect(v.controlPlane).toMatchObject({ distro: { k3s: { enabled: true } } });
    expect(JSON.stringify(v.controlPlane)).not.toContain("k8s");
  });

  it("refuses a Kubernetes version the chart version does not offer, naming what it offers", () => {
    expect(() => buildVclusterValuesObject({ ...spec, kubernetesVersion: "1.36", chart: { ...spec.chart, version: "0.30.0" } })).toThrow(
      /Kubernetes 1\.36 is not offered by vCluster chart 0\.30\.0 \(it offers v1\.34\.0, v1\.33\.4, v1\.32\.1\)/,
    );
  });

  it("a host with a licence: the licensed image, and the Secret vcluster-platform-api-key the licensed build reads", () => {
    const licensed: ClusterSpec = { ...spec, platform: { host: "platform.example.com:8443", accessKey: "ak-1", project: "default", insecure: false } };
    expect((buildVclusterValuesObject(licensed).controlPlane as { statefulSet: { image: unknown } }).statefulSet.image).toEqual({ repository: "loft-sh/vcluster-pro" });
    const secret = buildPlatformSecret(licensed)!;
    expect(secret.metadata).toMatchObject({ name: "vcluster-platform-api-key", namespace: spec.namespace, labels: { "vcluster-portal.dev/cluster-id": "clu_123" } });
    const data = Object.fromEntries(Object.entries(secret.data!).map(([k, v]) => [k, Buffer.from(v, "base64").toString()]));
    expect(data).toEqual({ accessKey: "ak-1", host: "platform.example.com:8443", project: "default", insecure: "false" });
    expect(buildHostObjects(licensed).at(-1)).toEqual(secret);
    expect(buildPlatformSecret(spec)).toBeNull();
    expect(buildHostObjects(spec).some((o) => o.kind === "Secret")).toBe(false);
  });

  it("rejects template values that are not a YAML mapping", () => {
    expect(() => buildVclusterValues({ ...spec, templateValuesYaml: "- a\n- b\n" })).toThrow(TemplateValuesError);
    expect(() => buildVclusterValues({ ...spec, templateValuesYaml: "a: [\n" })).toThrow(/not valid YAML/);
  });
});
