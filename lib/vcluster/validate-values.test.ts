import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { defaultKubernetesImageTag, SUPPORTED_CHART_VERSIONS } from "./chart-versions";
import { validateVclusterValues, type TValuesValidation } from "./validate-values";

const messages = (r: TValuesValidation) => (r.ok ? [] : r.errors.map((e) => e.message));
const paths = (r: TValuesValidation) => (r.ok ? [] : r.errors.map((e) => e.path));

// What the seeded templates publish.
const seedLike = (tag: string) => ({
  controlPlane: { backingStore: { database: { embedded: { enabled: true } } }, distro: { k8s: { image: { tag } } } },
  policies: { podSecurityStandard: "baseline" },
});

describe.each(SUPPORTED_CHART_VERSIONS)("vcluster.yaml against the chart %s values schema", (chart) => {
  it("accepts seed-like values, an empty mapping and the chart's own Kubernetes tag", () => {
    expect(validateVclusterValues(chart, seedLike(defaultKubernetesImageTag(chart)!))).toEqual({ ok: true });
    expect(validateVclusterValues(chart, {})).toEqual({ ok: true });
  });

  it("accepts a licensed feature: that is a separate check, not a schema error", () => {
    expect(validateVclusterValues(chart, { controlPlane: { backingStore: { etcd: { embedded: { enabled: true } } } } })).toEqual({ ok: true });
  });

  it("names an unknown key by its dotted path and the chart version", () => {
    const r = validateVclusterValues(chart, { controlPlane: { backingStore: { etcd: { embeded: { enabled: true } } } } });
    expect(messages(r)).toEqual([`controlPlane.backingStore.etcd.embeded: unknown key (not in the chart ${chart} values schema)`]);
    expect(paths(validateVclusterValues(chart, { bogus: 1 }))).toEqual(["bogus"]);
  });

  it("names a wrong type", () => {
    const r = validateVclusterValues(chart, { controlPlane: { statefulSet: { highAvailability: { replicas: "3" } } } });
    expect(messages(r)).toEqual(["controlPlane.statefulSet.highAvailability.replicas: must be integer"]);
  });

  it("reports list items with an index and odd keys quoted", () => {
    const r = validateVclusterValues(chart, {
      sync: { toHost: { pods: { patches: [{ path: "metadata.labels", expression: "x" }, { path: 4 }] } } },
      controlPlane: { statefulSet: { labels: { "app.kubernetes.io/part-of": 3 } } },
    });
    expect(messages(r)).toEqual(expect.arrayContaining(["sync.toHost.pods.patches[1].path: must be string", 'controlPlane.statefulSet.labels["app.kubernetes.io/part-of"]: must be string']));
    expect(messages(r)).toHaveLength(2);
  });

  it("turns oneOf/anyOf noise into one readable line", () => {
    // policies.resourceQuota.enabled is `string | boolean` (oneOf); plugins an object (anyOf of three).
    const r = validateVclusterValues(chart, { policies: { resourceQuota: { enabled: 7 } }, plugins: 5 });
    expect(messages(r).sort()).toEqual(["plugins: must be object", "policies.resourceQuota.enabled: must be string or boolean"]);
    expect(validateVclusterValues(chart, { policies: { resourceQuota: { enabled: "auto" } } })).toEqual({ ok: true });
  });

  it("reports every problem once", () => {
    const r = validateVclusterValues(chart, { a: 1, b: 2, controlPlane: { statefulSet: { highAvailability: { replicas: true } } } });
    expect(messages(r)).toHaveLength(3);
    expect(new Set(messages(r)).size).toBe(3);
  });

  it("treats `key: null` as Helm does, as removing a default", () => {
    expect(validateVclusterValues(chart, { controlPlane: { statefulSet: { resources: null } }, policies: { podSecurityStandard: null } })).toEqual({ ok: true });
  });
});

describe("keys that differ between the chart versions", () => {
  it("refuses on 0.36.1 what only 0.30.0 had (k3s distro, sleepMode)", () => {
    const k3s = { controlPlane: { distro: { k3s: { enabled: true } } } };
    expect(validateVclusterValues("0.30.0", k3s)).toEqual({ ok: true });
    expect(messages(validateVclusterValues("0.36.1", k3s))).toEqual(["controlPlane.distro.k3s: unknown key (not in the chart 0.36.1 values schema)"]);
    const sleepMode = { sleepMode: { enabled: true } };
    expect(validateVclusterValues("0.30.0", sleepMode)).toEqual({ ok: true });
    expect(paths(validateVclusterValues("0.36.1", sleepMode))).toEqual(["sleepMode"]);
  });

  it("refuses on 0.30.0 what 0.36.1 added (sleep)", () => {
    const sleep = { sleep: { auto: { afterInactivity: "1h" } } };
    expect(validateVclusterValues("0.36.1", sleep)).toEqual({ ok: true });
    expect(messages(validateVclusterValues("0.30.0", sleep))).toEqual(["sleep: unknown key (not in the chart 0.30.0 values schema)"]);
  });
});

describe("an unsupported chart version", () => {
  it("is a validation error on chartVersion listing the supported ones", () => {
    let thrown: unknown;
    try {
      validateVclusterValues("0.99.0", {});
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(AppError);
    expect(thrown).toMatchObject({ code: "VALIDATION", fieldErrors: { chartVersion: ["vCluster chart 0.99.0 is not supported here; supported: 0.30.0, 0.36.1"] } });
  });
});
