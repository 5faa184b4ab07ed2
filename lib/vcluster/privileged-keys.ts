// vcluster.yaml settings that widen what a virtual cluster may do on its HOST — beyond its own namespace and the
// tenant role the portal holds there (deploy/helm/vcluster-portal/templates/rbac-tenant.yaml). A template version that uses one is
// refused when it is saved unless an admin marks it `privileged` (TemplateVersion.privileged), which the template
// page, the catalog card and the audit event `template.version.create` show. Pure and small: usable in the browser.
//
// Every path below exists in the values schemas of both supported chart versions (lib/vcluster/schemas/*.json;
// privileged-keys.test.ts checks it). A setting counts only when it would take effect: an empty list or object,
// false, "" and the chart's own default ("auto") do not; in a security context any field counts (runAsUser: 0).

export type TPrivilegedKeyUse = { path: string; why: string };

/**
 * The template version's own settings that matter here (its form fields, not its values): its Pod Security
 * Standard, which also decides what the host namespace enforces (lib/kube/host-objects.ts hostEnforceLevel).
 */
export type TPrivilegedVersionSettings = { podSecurityStandard?: string };

type Rule = { path: string; why: string; uses: (value: unknown) => boolean };

const nonEmpty = (v: unknown): boolean => {
  if (v === undefined || v === null || v === false || v === "" || v === 0) return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === "object") return Object.values(v).some(nonEmpty);
  return true;
};
/** Any field set at all (`runAsUser: 0` is root, not "nothing"). */
const anyField = (v: unknown): boolean => isObject(v) && Object.values(v).some((x) => x !== undefined && x !== null);
const on = (v: unknown): boolean => v === true || v === "true";
const enabled = (v: unknown): boolean => isObject(v) && on(v.enabled);

/** sync.fromHost resources that are host-wide but harmless to read (classes, CSI info) or the tenant's own (events). */
const HARMLESS_FROM_HOST = new Set(["events", "storageClasses", "csiNodes", "csiDrivers", "csiStorageCapacities", "ingressClasses", "runtimeClasses", "volumeSnapshotClasses"]);
/** sync.toHost resources that are cluster-scoped on the host: syncing them writes outside the tenant namespace. */
const CLUSTER_SCOPED_TO_HOST = ["namespaces", "persistentVolumes", "storageClasses", "priorityClasses"] as const;

const RULES: Rule[] = [
  {
    path: "controlPlane.statefulSet.security.podSecurityContext",
    why: "sets the control plane pod's security context on the host (user, groups, sysctls)",
    uses: anyField,
  },
  {
    path: "controlPlane.statefulSet.security.containerSecurityContext",
    why: "sets the control plane container's security context on the host (privileged, capabilities, user)",
    uses: anyField,
  },
  { path: "controlPlane.hostPathMapper", why: "mounts the host's log directories into the control plane", uses: nonEmpty },
  { path: "rbac.role.extraRules", why: "adds rules to the control plane's Role on the host", uses: nonEmpty },
  { path: "rbac.role.overwriteRules", why: "replaces the rules of the control plane's Role on the host", uses: nonEmpty },
  { path: "rbac.clusterRole.enabled", why: "gives the control plane a ClusterRole on the host beyond what its features need", uses: on },
  { path: "rbac.clusterRole.extraRules", why: "adds host-wide rules to the control plane's ClusterRole", uses: nonEmpty },
  { path: "rbac.clusterRole.overwriteRules", why: "replaces the rules of the control plane's ClusterRole on the host", uses: nonEmpty },
  { path: "plugins", why: "runs plugin containers in the control plane pod, with extra rules on the host", uses: nonEmpty },
  { path: "plugin", why: "runs plugin containers in the control plane pod, with extra rules on the host", uses: nonEmpty },
  { path: "experimental.deploy.host", why: "applies manifests to the host namespace with the control plane's identity", uses: nonEmpty },
  { path: "networking.replicateServices.fromHost", why: "reads Services of other host namespaces", uses: nonEmpty },
  { path: "networking.advanced.fallbackHostCluster", why: "resolves the host cluster's service names from inside the virtual cluster", uses: on },
  ...CLUSTER_SCOPED_TO_HOST.map((r) => ({ path: `sync.toHost.${r}`, why: `creates ${r} on the host, outside the tenant namespace`, uses: enabled })),
  { path: "sync.toHost.customResources", why: "syncs custom resources to the host (possibly cluster-scoped ones)", uses: anyEnabledEntry },
];

/** The documented list: each setting and why it needs a privileged template version (the docs and tests read it). */
export const PRIVILEGED_KEYS: readonly { path: string; why: string }[] = [
  ...RULES.map(({ path, why }) => ({ path, why })),
  { path: "…volumes[].hostPath", why: "mounts a directory of the host node (e.g. controlPlane.statefulSet.persistence.addVolumes)" },
  { path: "sync.fromHost.<resource>", why: `reads host-wide objects (nodes with their pods, Secrets, ConfigMaps, custom resources …); not: ${[...HARMLESS_FROM_HOST].join(", ")}` },
  { path: "integrations.<name>.enabled", why: "an integration whose rules reach beyond the tenant namespace (CRDs, webhooks, cluster-wide objects)" },
  { path: "policies.podSecurityStandard / Pod Security Standard", why: "privileged: the host namespace then admits privileged pods, i.e. access to its nodes" },
];

/** Every privileged setting the values (and the version's own settings) turn on, as dotted paths with the reason. */
export function privilegedKeysIn(values: unknown, settings: TPrivilegedVersionSettings = {}): TPrivilegedKeyUse[] {
  const out: TPrivilegedKeyUse[] = [];
  for (const r of RULES) if (r.uses(valueAt(values, r.path))) out.push({ path: r.path, why: r.why });

  const fromHost = valueAt(values, "sync.fromHost");
  if (isObject(fromHost)) {
    for (const [resource, v] of Object.entries(fromHost)) {
      if (HARMLESS_FROM_HOST.has(resource)) continue;
      if (resource === "customResources" ? anyEnabledEntry(v) : enabled(v)) out.push({ path: `sync.fromHost.${resource}`, why: `reads ${resource} host-wide` });
    }
  }
  const integrations = valueAt(values, "integrations");
  if (isObject(integrations)) {
    for (const [name, v] of Object.entries(integrations)) {
      if (enabled(v)) out.push({ path: `integrations.${name}`, why: "its rules on the host reach beyond the tenant namespace (CRDs, webhooks, cluster-wide objects)" });
    }
  }
  for (const p of hostPathVolumes(values, "")) out.push({ path: p, why: "mounts a directory of the host node" });

  const pssValue = valueAt(values, "policies.podSecurityStandard");
  if (pssValue === "privileged") out.push({ path: "policies.podSecurityStandard", why: "privileged pods would be admitted on the host namespace, i.e. access to its nodes" });
  else if (settings.podSecurityStandard === "privileged") {
    out.push({ path: "podSecurityStandard", why: "the host namespace then admits privileged pods, i.e. access to its nodes" });
  }
  return out;
}

/** The message shown for each use: names the key and says how to publish it anyway. */
export function privilegedKeyMessage(use: TPrivilegedKeyUse): string {
  return `${use.path}: ${use.why}. This widens host privileges; mark the version privileged (admins only) to publish it.`;
}

function anyEnabledEntry(v: unknown): boolean {
  return isObject(v) && Object.values(v).some(enabled);
}

/** Paths of `hostPath` volumes in any list named like `…volumes` (addVolumes, volumes, extraVolumes …). */
function hostPathVolumes(node: unknown, path: string): string[] {
  if (Array.isArray(node)) return node.flatMap((v, i) => hostPathVolumes(v, `${path}[${i}]`));
  if (!isObject(node)) return [];
  const out: string[] = [];
  for (const [k, v] of Object.entries(node)) {
    const p = path ? `${path}.${k}` : k;
    if (/volumes$/i.test(k) && Array.isArray(v)) {
      v.forEach((vol, i) => {
        if (isObject(vol) && vol.hostPath !== undefined && vol.hostPath !== null) out.push(`${p}[${i}].hostPath`);
      });
    } else out.push(...hostPathVolumes(v, p));
  }
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function valueAt(values: unknown, path: string): unknown {
  let node = values;
  for (const key of path.split(".")) {
    if (!isObject(node)) return undefined;
    node = node[key];
  }
  return node;
}
