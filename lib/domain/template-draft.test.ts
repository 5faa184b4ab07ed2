import { describe, expect, it } from "vitest";
import type { TTemplateParameters } from "./template-parameters";
import { checkChartVersion, checkKubernetesVersion, checkKubernetesVersionParameter, checkLicensedValues, checkParametersJson, checkValuesYaml, formatParameters } from "./template-draft";

describe("template draft checks", () => {
  it("accepts a vcluster.yaml mapping and an empty document", () => {
    expect(checkValuesYaml("controlPlane:\n  backingStore:\n    etcd:\n      embedded:\n        enabled: true\n")).toMatchObject({ ok: true });
    expect(checkValuesYaml("")).toEqual({ ok: true, value: {} });
  });

  it("reports YAML syntax errors with a position", () => {
    const r = checkValuesYaml("controlPlane:\n  backingStore: [\n");
    expect(r.ok).toBe(false);
    expect(!r.ok && r.errors[0]).toMatch(/line \d+/i);
  });

  it("refuses duplicate keys and non-mappings", () => {
    expect(checkValuesYaml("a: 1\na: 2\n").ok).toBe(false);
    const list = checkValuesYaml("- a\n- b\n");
    expect(!list.ok && list.errors[0]).toContain("mapping");
    expect(checkValuesYaml("just a string").ok).toBe(false);
  });

  it("accepts valid parameters", () => {
    const r = checkParametersJson(JSON.stringify([{ name: "size", label: "Size", type: "enum", options: ["small", "medium"], default: "small" }]));
    expect(r).toMatchObject({ ok: true, value: [{ name: "size" }] });
    expect(checkParametersJson("")).toEqual({ ok: true, value: [] });
  });

  it("names the parameter at fault", () => {
    const r = checkParametersJson(JSON.stringify([{ name: "size", label: "Size", type: "enum", options: ["small"], default: "large" }]));
    expect(!r.ok && r.errors).toEqual(['parameter "size" (default): default "large" is not one of the options']);
    const dup = checkParametersJson(JSON.stringify([{ name: "a", label: "A", type: "boolean", default: true }, { name: "a", label: "A", type: "boolean", default: false }]));
    expect(!dup.ok && dup.errors[0]).toContain("defined twice");
    const unknown = checkParametersJson(JSON.stringify([{ name: "x", label: "X", type: "float", default: 1 }]));
    expect(!unknown.ok && unknown.errors[0]).toMatch(/^parameter "x"/);
  });

  it("reports JSON syntax errors", () => {
    const r = checkParametersJson("[{");
    expect(!r.ok && r.errors[0]).toMatch(/^Not valid JSON/);
  });

  it("formats parameters with a stable key order regardless of storage order", () => {
    const a = formatParameters([{ default: "small", type: "enum", name: "size", options: ["small"], label: "Size" }]);
    const b = formatParameters([{ name: "size", label: "Size", type: "enum", options: ["small"], default: "small" }]);
    expect(a).toBe(b);
    expect(a.indexOf('"name"')).toBeLessThan(a.indexOf('"default"'));
  });

  it("accepts the supported chart versions and lists them when refusing another", () => {
    expect(checkChartVersion("0.36.1")).toEqual({ ok: true, value: "0.36.1" });
    expect(checkChartVersion("0.99.0")).toEqual({ ok: false, errors: ["vCluster chart 0.99.0 is not supported here; supported: 0.30.0, 0.36.1"] });
  });

  it("accepts a Kubernetes version the chart ships and lists the choices otherwise", () => {
    expect(checkKubernetesVersion("0.36.1", "1.36")).toEqual({ ok: true, value: "v1.36.0" });
    expect(checkKubernetesVersion("0.30.0", "1.33")).toEqual({ ok: true, value: "v1.33.4" });
    expect(checkKubernetesVersion("0.30.0", "1.36")).toEqual({ ok: false, errors: ["Kubernetes 1.36 is not available with vCluster chart 0.30.0; choose 1.34, 1.33, 1.32"] });
  });

  it("checks the options of a kubernetesVersion parameter against the chart", () => {
    const param = (options: string[]): TTemplateParameters => [{ name: "kubernetesVersion", label: "Kubernetes", type: "enum", options, default: options[0]! }];
    expect(checkKubernetesVersionParameter("0.36.1", param(["1.36", "1.35", "1.34"]))).toEqual([]);
    expect(checkKubernetesVersionParameter("0.30.0", param(["1.36", "1.35", "1.34"]))).toEqual([
      'parameter "kubernetesVersion" (options): 1.36, 1.35 not available with vCluster chart 0.30.0; supported: 1.34, 1.33, 1.32',
    ]);
    expect(checkKubernetesVersionParameter("0.36.1", [{ name: "kubernetesVersion", label: "Kubernetes", type: "string", maxLength: 10, default: "1.36" }])[0]).toContain("make it an enum");
    expect(checkKubernetesVersionParameter("0.36.1", [])).toEqual([]);
  });

  it("refuses licensed features with the alternative where there is one", () => {
    const etcd = checkValuesYaml("controlPlane:\n  backingStore:\n    etcd:\n      embedded:\n        enabled: true\n");
    expect(etcd.ok && checkLicensedValues("0.30.0", etcd.value)).toEqual([
      "controlPlane.backingStore.etcd.embedded: embedded etcd is a licensed vCluster feature (needs vCluster Platform); use controlPlane.backingStore.database.embedded (SQLite) or deployed etcd",
    ]);
    const off = checkValuesYaml("controlPlane:\n  backingStore:\n    etcd:\n      embedded:\n        enabled: false\n");
    expect(off.ok && checkLicensedValues("0.36.1", off.value)).toEqual([]);
    const mapper = checkValuesYaml("controlPlane:\n  hostPathMapper:\n    enabled: true\n");
    expect(mapper.ok && checkLicensedValues("0.36.1", mapper.value)).toEqual(["controlPlane.hostPathMapper: host path mapper is a licensed vCluster feature (needs vCluster Platform)"]);
  });
});
