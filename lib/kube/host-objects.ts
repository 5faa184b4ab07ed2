import type {
  RbacV1Subject,
  V1LimitRange,
  V1Namespace,
  V1NetworkPolicy,
  V1NetworkPolicyPeer,
  V1ResourceQuota,
  V1RoleBinding,
  V1Secret,
  V1ServiceAccount,
} from "@kubernetes/client-node";
import { isMap, parseDocument, stringify } from "yaml";
import { commonLabels, cpuQuantity, memoryQuantity, type ClusterSpec } from "./cluster-spec";
import { buildPlatformSecret } from "./platform-licence-secret";
import { imageTagFor, isSupportedChartVersion, kubernetesImageTags, unsupportedChartVersionMessage } from "@/lib/vcluster/chart-versions";

// Pure builders of what the portal creates on a host cluster for one virtual cluster (docs/vcluster.md).
// No I/O here: lib/kube/apply.ts writes the result with server-side apply.

export const RESOURCE_QUOTA_NAME = "vcluster-portal-quota";
export const LIMIT_RANGE_NAME = "vcluster-portal-limits";
export const ISOLATE_POLICY_NAME = "isolate-vcluster";
export const API_INGRESS_POLICY_NAME = "vcluster-api-ingress";
/** Port the vcluster control plane serves its API on (the chart's container port). */
export const VCLUSTER_API_PORT = 8443;

/**
 * The ClusterRole (deploy/helm/vcluster-portal/templates/rbac-tenant.yaml) that holds everything the portal may do inside a tenant
 * namespace, and the name of the RoleBinding that grants it there — the one role the portal may bind.
 */
export const TENANT_ROLE_NAME = "vcluster-portal-tenant";
/** The tenant namespace's ServiceAccount that Flux installs the chart as (HelmRelease spec.serviceAccountName). */
export const INSTALLER_SERVICE_ACCOUNT = "vcluster-portal-installer";

export type HostObject = V1Namespace | V1RoleBinding | V1ServiceAccount | V1ResourceQuota | V1LimitRange | V1NetworkPolicy | V1Secret;

/** An address of the host's kube-apiserver as pods see it (Service ClusterIP or an endpoint). */
export interface ApiServerEndpoint {
  ip: string;
  port: number;
}

export interface HostObjectOptions {
  /**
   * Addresses of the host API server, for the NetworkPolicy's egress rule. When unknown (empty), egress to
   * TCP 443 and 6443 is allowed to any address — narrower than no policy, but not as narrow as it could be.
   * lib/kube/ensure-host-objects.ts `apiServerEndpoints()` discovers them from `default/kubernetes`.
   */
  apiServer?: ApiServerEndpoint[];
  /**
   * The portal's own identity on the host, bound to the tenant role in the namespace (lib/kube/ensure-host-objects.ts
   * `portalSubject()` asks the API server with a SelfSubjectReview). Unknown: only the installer is bound.
   */
  portalSubject?: RbacV1Subject | null;
}

/**
 * What Pod Security admission enforces on the host namespace. The real control plane runs as root with no
 * seccomp profile, so a `restricted` host namespace refuses it: the host enforces `baseline` at most, and the
 * template's level is what vCluster enforces inside the virtual cluster (policies.podSecurityStandard), so
 * synced workload pods already meet it. A `privileged` template stays privileged on the host too.
 */
export function hostEnforceLevel(level: ClusterSpec["podSecurityStandard"]): ClusterSpec["podSecurityStandard"] {
  return level === "privileged" ? "privileged" : "baseline";
}

export function buildNamespace(spec: ClusterSpec): V1Namespace {
  const pss = hostEnforceLevel(spec.podSecurityStandard);
  return {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: {
      name: spec.namespace,
      labels: {
        ...commonLabels(spec),
        "vcluster-portal.dev/team": spec.teamSlug,
        "vcluster-portal.dev/cluster": spec.name,
        "pod-security.kubernetes.io/enforce": pss,
        "pod-security.kubernetes.io/enforce-version": "latest",
        // Audit at the strictest level (the audit log shows what a stricter host would refuse); warn at what
        // is enforced, since the control plane itself never meets `restricted` and would warn on every install.
        "pod-security.kubernetes.io/audit": "restricted",
        "pod-security.kubernetes.io/audit-version": "latest",
        "pod-security.kubernetes.io/warn": pss,
        "pod-security.kubernetes.io/warn-version": "latest",
      },
      annotations: { ...spec.annotations },
    },
  };
}

/** The RBAC subject of an authenticated username: a ServiceAccount for `system:serviceaccount:<ns>:<name>`, else a User. */
export function subjectForUsername(username: string): RbacV1Subject {
  const sa = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(username);
  if (sa) return { kind: "ServiceAccount", name: sa[2]!, namespace: sa[1]! };
  return { kind: "User", apiGroup: "rbac.authorization.k8s.io", name: username };
}

/**
 * Opens the tenant namespace to the portal: ClusterRole vcluster-portal-tenant bound here only, to the portal's
 * identity and to the installer ServiceAccount. Applied right after the namespace; everything after it in the
 * namespace is written with the rights it grants.
 */
export function buildTenantRoleBinding(spec: ClusterSpec, portalSubject: RbacV1Subject | null = null): V1RoleBinding {
  const installer: RbacV1Subject = { kind: "ServiceAccount", name: INSTALLER_SERVICE_ACCOUNT, namespace: spec.namespace };
  return {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "RoleBinding",
    metadata: { name: TENANT_ROLE_NAME, namespace: spec.namespace, labels: commonLabels(spec) },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: TENANT_ROLE_NAME },
    subjects: portalSubject ? [portalSubject, installer] : [installer],
  };
}

/** The identity Flux's helm-controller installs the chart as; no pod mounts its token. */
export function buildInstallerServiceAccount(spec: ClusterSpec): V1ServiceAccount {
  return {
    apiVersion: "v1",
    kind: "ServiceAccount",
    metadata: { name: INSTALLER_SERVICE_ACCOUNT, namespace: spec.namespace, labels: commonLabels(spec) },
    automountServiceAccountToken: false,
  };
}

/** The seed's `requests.cpu: "2"`, `requests.memory: "4Gi"`, from the cluster's size. */
export function buildResourceQuota(spec: ClusterSpec): V1ResourceQuota {
  return {
    apiVersion: "v1",
    kind: "ResourceQuota",
    metadata: { name: RESOURCE_QUOTA_NAME, namespace: spec.namespace, labels: commonLabels(spec) },
    spec: {
      hard: {
        "requests.cpu": cpuQuantity(spec.cpuMillicores),
        "requests.memory": memoryQuantity(spec.memoryMiB),
      },
    },
  };
}

/**
 * Defaults for containers that state no requests (a quota on requests.* rejects them otherwise), capped by
 * the cluster's size so one default never exceeds the whole quota.
 */
export function buildLimitRange(spec: ClusterSpec): V1LimitRange {
  const cpuReq = Math.min(100, spec.cpuMillicores);
  const memReq = Math.min(128, spec.memoryMiB);
  const memLimit = Math.min(512, spec.memoryMiB);
  return {
    apiVersion: "v1",
    kind: "LimitRange",
    metadata: { name: LIMIT_RANGE_NAME, namespace: spec.namespace, labels: commonLabels(spec) },
    spec: {
      limits: [
        {
          type: "Container",
          defaultRequest: { cpu: cpuQuantity(cpuReq), memory: memoryQuantity(memReq) },
          _default: { memory: memoryQuantity(memLimit) },
        },
      ],
    },
  };
}

function cidrOf(ip: string): string {
  return ip.includes(":") ? `${ip}/128` : `${ip}/32`;
}

/**
 * The seed's `isolate-vcluster`: ingress only from the same namespace; egress to the same namespace, DNS in
 * kube-system (53 UDP/TCP) and the host API server (the syncer talks to it).
 */
export function buildIsolationPolicy(spec: ClusterSpec, opts: HostObjectOptions = {}): V1NetworkPolicy {
  const sameNamespace: V1NetworkPolicyPeer = { podSelector: {} };
  const endpoints = [...new Map((opts.apiServer ?? []).map((e) => [`${e.ip}:${e.port}`, e])).values()].sort((a, b) =>
    `${a.ip}:${a.port}`.localeCompare(`${b.ip}:${b.port}`),
  );
  const apiRules: NonNullable<NonNullable<V1NetworkPolicy["spec"]>["egress"]> = [];
  if (endpoints.length) {
    const byPort = new Map<number, string[]>();
    for (const e of endpoints) byPort.set(e.port, [...(byPort.get(e.port) ?? []), cidrOf(e.ip)]);
    for (const [port, cidrs] of [...byPort.entries()].sort((a, b) => a[0] - b[0])) {
      apiRules.push({ to: [...new Set(cidrs)].map((cidr) => ({ ipBlock: { cidr } })), ports: [{ protocol: "TCP", port }] });
    }
  } else {
    apiRules.push({ ports: [{ protocol: "TCP", port: 443 }, { protocol: "TCP", port: 6443 }] });
  }
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { name: ISOLATE_POLICY_NAME, namespace: spec.namespace, labels: commonLabels(spec) },
    spec: {
      podSelector: {},
      policyTypes: ["Ingress", "Egress"],
      ingress: [{ _from: [sameNamespace] }],
      egress: [
        { to: [sameNamespace] },
        {
          to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } } }],
          ports: [
            { protocol: "UDP", port: 53 },
            { protocol: "TCP", port: 53 },
          ],
        },
        ...apiRules,
      ],
    },
  };
}

/**
 * Users reach the virtual cluster's API through the host (ingress controller / load balancer in another
 * namespace), so its control-plane port stays reachable; everything else in the namespace stays isolated.
 */
export function buildApiIngressPolicy(spec: ClusterSpec): V1NetworkPolicy {
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { name: API_INGRESS_POLICY_NAME, namespace: spec.namespace, labels: commonLabels(spec) },
    spec: {
      podSelector: { matchLabels: { app: "vcluster", release: spec.releaseName } },
      policyTypes: ["Ingress"],
      ingress: [{ ports: [{ protocol: "TCP", port: VCLUSTER_API_PORT }] }],
    },
  };
}

/**
 * Every host object of a virtual cluster except the Helm release, in apply order: the namespace, then the
 * RoleBinding that lets the portal write inside it, then the rest.
 */
export function buildHostObjects(spec: ClusterSpec, opts: HostObjectOptions = {}): HostObject[] {
  const objects: HostObject[] = [
    buildNamespace(spec),
    buildTenantRoleBinding(spec, opts.portalSubject ?? null),
    buildInstallerServiceAccount(spec),
    buildResourceQuota(spec),
    buildLimitRange(spec),
  ];
  if (spec.isolateNetwork) objects.push(buildIsolationPolicy(spec, opts), buildApiIngressPolicy(spec));
  const licence = buildPlatformSecret(spec);
  if (licence) objects.push(licence);
  return objects;
}

// ───────────────────────────── vcluster.yaml ─────────────────────────────

export class TemplateValuesError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TemplateValuesError";
  }
}

type Json = string | number | boolean | null | Json[] | { [k: string]: Json };
type JsonObject = { [k: string]: Json };

function isObject(v: unknown): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function parseTemplateValues(text: string): JsonObject {
  if (!text.trim()) return {};
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length) {
    throw new TemplateValuesError(`The template's vcluster.yaml is not valid YAML: ${doc.errors[0]!.message.split("\n")[0]}`);
  }
  if (doc.contents === null) return {};
  if (!isMap(doc.contents)) throw new TemplateValuesError("The template's vcluster.yaml must be a mapping (key: value) at the top level.");
  return doc.toJS({ maxAliasCount: 100 }) as JsonObject;
}

type EnvVar = { name: string } & JsonObject;

function isEnvList(v: unknown): v is EnvVar[] {
  return Array.isArray(v) && v.every((e) => isObject(e) && typeof e.name === "string");
}

/**
 * Deep merge, `over` wins. Objects merge key by key; lists are replaced, except:
 * `env`-style lists of {name, ...} merge by name (so a template's own env vars survive), and
 * `extraSANs` is a union.
 */
export function deepMerge(base: Json | undefined, over: Json | undefined, key = ""): Json | undefined {
  if (over === undefined) return base;
  if (isObject(base) && isObject(over)) {
    const out: JsonObject = { ...base };
    for (const [k, v] of Object.entries(over)) {
      const merged = deepMerge(base[k], v, k);
      if (merged !== undefined) out[k] = merged;
    }
    return out;
  }
  if (key === "env" && isEnvList(base) && isEnvList(over)) {
    const byName = new Map<string, EnvVar>(base.map((e) => [e.name, e]));
    for (const e of over) byName.set(e.name, e);
    return [...byName.values()];
  }
  if (key === "extraSANs" && Array.isArray(base) && Array.isArray(over)) {
    return [...new Set([...base, ...over].map(String))];
  }
  return over;
}

const OTHER_DISTROS = ["k3s", "k0s"] as const;

/**
 * The chart's default control-plane image is the licensed build `loft-sh/vcluster-pro` (its pro modules need a
 * licence); the open-source build is `loft-sh/vcluster-oss` (chart/values.yaml, controlPlane.statefulSet.image).
 * The portal runs the licensed build only on a host with a licence (ClusterSpec.platform).
 */
export const OSS_CONTROL_PLANE_REPOSITORY = "loft-sh/vcluster-oss";
export const LICENSED_CONTROL_PLANE_REPOSITORY = "loft-sh/vcluster-pro";

/** The values the portal generates for one virtual cluster (before merging over the template's). */
export function generatedVclusterValues(spec: ClusterSpec, template: JsonObject = {}): JsonObject {
  const distro = isObject(template.controlPlane) && isObject(template.controlPlane.distro) ? template.controlPlane.distro : {};
  const otherDistro = OTHER_DISTROS.find((d) => isObject(distro[d]) && distro[d].enabled === true);
  const controlPlane: JsonObject = {
    statefulSet: {
      image: { repository: spec.platform ? LICENSED_CONTROL_PLANE_REPOSITORY : OSS_CONTROL_PLANE_REPOSITORY },
      env: [
        { name: "VCLUSTER_PHYSICAL_CLIENT_QPS", value: String(spec.syncerQps) },
        { name: "VCLUSTER_PHYSICAL_CLIENT_BURST", value: String(spec.syncerBurst) },
      ],
    },
  };
  // Only one distro may be enabled; a template that picked k3s/k0s keeps it (its image tags differ).
  // `version` is emptied because the chart prefers it over image.tag and uses it verbatim as a tag.
  if (!otherDistro) controlPlane.distro = { k8s: { enabled: true, version: "", image: { tag: kubernetesImageTag(spec) } } };
  const values: JsonObject = {
    controlPlane,
    policies: {
      podSecurityStandard: spec.podSecurityStandard,
      // The portal's own ResourceQuota and LimitRange (buildResourceQuota/buildLimitRange) size the namespace;
      // the chart's would be a second pair with its own defaults (count/pods: 20, services.nodeports: 0, …).
      resourceQuota: { enabled: false },
      limitRange: { enabled: false },
    },
  };
  if (spec.exportServer) {
    values.exportKubeConfig = { server: spec.exportServer };
    // The control plane's serving certificate must name the public host, or clients reject it.
    const host = new URL(spec.exportServer).hostname.replace(/^\[|\]$/g, "");
    controlPlane.proxy = { extraSANs: [host] };
  }
  return values;
}

/** The full image tag of the distro for the cluster's Kubernetes version and chart version ("1.36" → "v1.36.0"). */
function kubernetesImageTag(spec: ClusterSpec): string {
  if (!isSupportedChartVersion(spec.chart.version)) throw new TemplateValuesError(`${unsupportedChartVersionMessage(spec.chart.version)}.`);
  const tag = imageTagFor(spec.chart.version, spec.kubernetesVersion);
  if (!tag) {
    const offered = kubernetesImageTags(spec.chart.version);
    throw new TemplateValuesError(
      `Kubernetes ${spec.kubernetesVersion} is not offered by vCluster chart ${spec.chart.version}${offered.length ? ` (it offers ${offered.join(", ")})` : ""}.`,
    );
  }
  return tag;
}

/** The template's vcluster.yaml merged UNDER the generated values, as a YAML string for `helm --values`. */
export function buildVclusterValuesObject(spec: ClusterSpec): JsonObject {
  const template = parseTemplateValues(spec.templateValuesYaml);
  return deepMerge(template, generatedVclusterValues(spec, template)) as JsonObject;
}

export function buildVclusterValues(spec: ClusterSpec): string {
  const header = `# Generated by vcluster-portal for ${spec.namespace}/${spec.releaseName} (cluster ${spec.clusterId}).\n`;
  return header + stringify(buildVclusterValuesObject(spec), { lineWidth: 0 });
}
