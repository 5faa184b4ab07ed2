import { describe, expect, it } from "vitest";
import { SUPPORTED_CHART_VERSIONS } from "./chart-versions";
import { licensedFeatures, licensedFeaturesIn } from "./licensed-features";
import { VALUES_SCHEMAS } from "./values-schemas";

type TSchemaNode = { $ref?: string; pro?: boolean; properties?: Record<string, TSchemaNode>; items?: TSchemaNode; $defs?: Record<string, TSchemaNode> };

// The chart's schema generator marks the same `product:"pro"` fields `"pro": true`: an independent copy of the list.
function proPathsInSchema(schema: TSchemaNode): string[] {
  const found: string[] = [];
  const deref = (n: TSchemaNode): TSchemaNode => (n.$ref ? deref(schema.$defs![n.$ref.replace("#/$defs/", "")]!) : n);
  const walk = (node: TSchemaNode, path: string, visiting: Set<string>) => {
    const n = deref(node);
    if (n.items) walk(n.items, `${path}[]`, visiting);
    for (const [key, child] of Object.entries(n.properties ?? {})) {
      const childPath = path ? `${path}.${key}` : key;
      if (child.pro) found.push(childPath);
      if (child.$ref && visiting.has(child.$ref)) continue;
      walk(child, childPath, new Set([...visiting, ...(child.$ref ? [child.$ref] : [])]));
    }
  };
  walk(schema, "", new Set());
  return found;
}

describe.each(SUPPORTED_CHART_VERSIONS)("licensed features of chart %s", (chart) => {
  it("match the fields the chart's own schema marks as pro", () => {
    expect(licensedFeatures(chart).map((f) => f.path).sort()).toEqual(proPathsInSchema(VALUES_SCHEMAS[chart] as TSchemaNode).sort());
  });

  it("include embedded etcd but not the embedded database (SQLite)", () => {
    const paths = licensedFeatures(chart).map((f) => f.path);
    expect(paths).toContain("controlPlane.backingStore.etcd.embedded");
    expect(paths.some((p) => p.startsWith("controlPlane.backingStore.database"))).toBe(false);
  });

  it("reports embedded etcd once, only when enabled", () => {
    expect(licensedFeaturesIn(chart, { controlPlane: { backingStore: { etcd: { embedded: { enabled: true } } } } })).toEqual([
      { path: "controlPlane.backingStore.etcd.embedded", feature: "embedded etcd" },
    ]);
    expect(licensedFeaturesIn(chart, { controlPlane: { backingStore: { etcd: { embedded: { enabled: false } } } } })).toEqual([]);
    // Leftover settings under a disabled switch do nothing in vCluster either.
    expect(licensedFeaturesIn(chart, { controlPlane: { backingStore: { etcd: { embedded: { enabled: false, migrateFromDeployedEtcd: true } } } } })).toEqual([]);
    expect(licensedFeaturesIn(chart, { controlPlane: { backingStore: { etcd: { embedded: { migrateFromDeployedEtcd: true } } } } })).toEqual([]);
  });

  it("flags what the open-source build refuses at run time although config.go does not tag it", () => {
    const used = licensedFeaturesIn(chart, {
      controlPlane: { backingStore: { database: { external: { enabled: true, dataSource: "postgres://db" } } }, advanced: { kubeVip: { enabled: true } } },
      privateNodes: { enabled: true },
      sync: {
        toHost: { namespaces: { enabled: true }, pods: { patches: [{ path: "metadata.labels.x", expression: "'y'" }] }, secrets: { patches: [] } },
        fromHost: { configMaps: { patches: [{ path: "data.a", expression: "'b'" }] } },
      },
    });
    expect(used).toEqual([
      { path: "controlPlane.backingStore.database.external", feature: "external database" },
      { path: "controlPlane.advanced.kubeVip", feature: "embedded kube-vip" },
      { path: "privateNodes", feature: "private nodes" },
      { path: "sync.toHost.namespaces", feature: "namespace sync to the host" },
      { path: "sync.toHost.pods.patches", feature: "translate patches" },
      { path: "sync.fromHost.configMaps.patches", feature: "translate patches" },
    ]);
    // Switched off, or nothing to patch: the open-source build never reaches the stub.
    expect(
      licensedFeaturesIn(chart, { controlPlane: { backingStore: { database: { external: { enabled: false, dataSource: "x" } } } }, privateNodes: { enabled: false }, sync: { toHost: { pods: { patches: [] } } } }),
    ).toEqual([]);
  });

  it("does not flag the open-source backing stores or an empty document", () => {
    expect(licensedFeaturesIn(chart, { controlPlane: { backingStore: { database: { embedded: { enabled: true } } } } })).toEqual([]);
    expect(licensedFeaturesIn(chart, { controlPlane: { backingStore: { etcd: { deploy: { enabled: true } } } } })).toEqual([]);
    expect(licensedFeaturesIn(chart, {})).toEqual([]);
  });

  it("flags other settings as soon as they differ from the chart's default", () => {
    const used = licensedFeaturesIn(chart, {
      controlPlane: { coredns: { embedded: true }, hostPathMapper: { enabled: true } },
      networking: { resolveDNS: [{ hostname: "a.example.com", target: { hostname: "b.example.com" } }] },
      policies: { centralAdmission: { validatingWebhooks: [{ name: "x" }] } },
      experimental: { denyProxyRequests: [{ name: "no-exec" }] },
    });
    expect(used.map((u) => u.path).sort()).toEqual([
      "controlPlane.coredns.embedded",
      "controlPlane.hostPathMapper",
      "experimental.denyProxyRequests",
      "networking.resolveDNS",
      "policies.centralAdmission",
    ]);
    expect(
      licensedFeaturesIn(chart, {
        controlPlane: { coredns: { embedded: false, enabled: true }, hostPathMapper: { enabled: false, central: true } },
        networking: { resolveDNS: [] },
        policies: { centralAdmission: { validatingWebhooks: [], mutatingWebhooks: [] } },
      }),
    ).toEqual([]);
  });
});

describe("licensedFeaturesIn with an unsupported chart", () => {
  it("throws, naming the supported versions", () => {
    expect(() => licensedFeaturesIn("0.99.0", {})).toThrow("vCluster chart 0.99.0 is not supported here; supported: 0.30.0, 0.36.1");
  });
});

it("flags the custom resource proxy where the chart has it (0.36.1)", () => {
  expect(licensedFeaturesIn("0.36.1", { experimental: { proxy: { customResources: { "foo.example.com/v1": { enabled: true } } } } })).toEqual([
    { path: "experimental.proxy.customResources", feature: "custom resource proxy" },
  ]);
});
