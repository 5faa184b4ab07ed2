import { isSupportedChartVersion, unsupportedChartVersionMessage, type TSupportedChartVersion } from "@/lib/vcluster/chart-versions";
import features030 from "@/lib/vcluster/licensed-features-0.30.0.json";
import features0361 from "@/lib/vcluster/licensed-features-0.36.1.json";

// Which vcluster.yaml settings need a vCluster Platform license. Without one (the portal installs no license)
// they fail or do nothing at run time, long after the template was published. Pure and small: usable in the browser.

export type TLicensedFeatureUse = { path: string; feature: string };

type TLicensedFeature = { path: string; feature: string; switchedBy?: string };
type TLicensedFeatureList = { features: TLicensedFeature[] };

// Generated once from each module's config/config.go (fields tagged `product:"pro"`); see values-schemas.ts.
const LICENSED_FEATURES: Record<TSupportedChartVersion, TLicensedFeatureList> = {
  "0.30.0": features030,
  "0.36.1": features0361,
};

/**
 * Settings the open-source build refuses when they take effect although config.go does not tag them: vCluster
 * calls a stub in pkg/pro/*.go that returns NewFeatureError ("you are trying to use a vCluster pro feature …").
 * Read off the call sites of both modules: pkg/k8s/k8s.go (pro.ConfigureExternalDatabase), cmd/vcluster/cmd/start.go
 * (pro.StartEmbeddedKubeVip, pro.StartCustomResourceProxy), pkg/pro/privatenodes.go (pro.StartPrivateNodesMode),
 * pkg/mappings/resources/namespaces.go (pro.GetNamespaceMapper), pkg/controllers/resources/* (pro.ApplyPatches*).
 * `*` stands for any resource under sync.toHost / sync.fromHost.
 */
const REFUSED_AT_RUN_TIME_030: readonly TLicensedFeature[] = [
  { path: "controlPlane.backingStore.database.external", feature: "external database", switchedBy: "enabled" },
  { path: "controlPlane.advanced.kubeVip", feature: "embedded kube-vip", switchedBy: "enabled" },
  { path: "privateNodes", feature: "private nodes", switchedBy: "enabled" },
  { path: "sync.toHost.namespaces", feature: "namespace sync to the host", switchedBy: "enabled" },
  { path: "sync.toHost.*.patches", feature: "translate patches" },
  { path: "sync.fromHost.*.patches", feature: "translate patches" },
];
const REFUSED_AT_RUN_TIME: Record<TSupportedChartVersion, readonly TLicensedFeature[]> = {
  "0.30.0": REFUSED_AT_RUN_TIME_030,
  "0.36.1": [...REFUSED_AT_RUN_TIME_030, { path: "experimental.proxy.customResources", feature: "custom resource proxy" }],
};

/** Every licensed setting of the chart version, as dotted YAML paths with the feature's name. */
export function licensedFeatures(chartVersion: TSupportedChartVersion): readonly TLicensedFeature[] {
  return LICENSED_FEATURES[chartVersion].features;
}

/**
 * The licensed features the values turn on. A setting counts only when it would take effect: a switchable
 * object (`switchedBy: "enabled"`, like `controlPlane.backingStore.etcd.embedded`) only with `enabled: true`
 * (its default is false), so `enabled: false` with leftover settings is not a use (vCluster itself only checks
 * `enabled`); anything else as soon as it differs from the chart's default, which for every licensed setting of
 * both charts is false, an empty list or an empty object (chart/values.yaml). A licensed field inside another
 * (`...embedded.enabled`) is reported once, as the outer one.
 */
export function licensedFeaturesIn(chartVersion: string, values: unknown): TLicensedFeatureUse[] {
  // Callers check the chart version first; reaching this with another one is a bug, not a user error.
  if (!isSupportedChartVersion(chartVersion)) throw new Error(unsupportedChartVersionMessage(chartVersion));
  const all = [...licensedFeatures(chartVersion), ...REFUSED_AT_RUN_TIME[chartVersion]];
  const outermost = all.filter((f) => !all.some((o) => f.path.startsWith(`${o.path}.`)));
  return outermost.flatMap((f) =>
    valuesAt(values, f.path)
      .filter(({ value }) => (f.switchedBy ? isSwitchedOn(value, f.switchedBy) : differsFromZero(value)))
      .map(({ path }) => ({ path, feature: f.feature })),
  );
}

/** The values at a dotted path, `*` matching every key at its level; each with the path it was found at. */
function valuesAt(values: unknown, path: string): { path: string; value: unknown }[] {
  let found: { path: string; value: unknown }[] = [{ path: "", value: values }];
  for (const key of path.split(".")) {
    found = found.flatMap(({ path: at, value: node }) => {
      if (!node || typeof node !== "object" || Array.isArray(node)) return [];
      const record = node as Record<string, unknown>;
      return (key === "*" ? Object.keys(record) : [key]).map((k) => ({ path: at ? `${at}.${k}` : k, value: record[k] }));
    });
  }
  return found;
}

function isSwitchedOn(value: unknown, switchKey: string): boolean {
  return !!value && typeof value === "object" && (value as Record<string, unknown>)[switchKey] === true;
}

function differsFromZero(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === "" || value === 0) return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === "object") return Object.values(value).some(differsFromZero);
  return true;
}
