import { describe, expect, it } from "vitest";
import type { TTemplateParameters } from "./template-parameters";
import {
  checkChartVersion,
  checkKubernetesVersion,
  checkKubernetesVersionParameter,
  checkLicensedValues,
  checkParametersJson,
  checkValuesYaml,
  formatParameters,
  normalizeLineEndings,
  settingsDisagreements,
  yamlProblems,
} from "./template-draft";

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

describe("line endings, YAML problem positions and settings that contradict the values", () => {
  it("normalises \\r\\n and lone \\r to \\n and leaves \\n alone", () => {
    expect(normalizeLineEndings("a: 1\r\nb: 2\r\n")).toBe("a: 1\nb: 2\n");
    expect(normalizeLineEndings("a\rb\n")).toBe("a\nb\n");
    expect(normalizeLineEndings("a\nb")).toBe("a\nb");
  });

  it("places each YAML problem on its line with a readable message and a range to mark", () => {
    const text = "policies:\n  podSecurityStandard: baseline\npolicies: {}\n";
    const [dup] = yamlProblems(text);
    expect(dup).toMatchObject({ line: 3, column: 1, from: text.indexOf("policies: {}") });
    expect(dup!.message).toBe("Map keys must be unique: this key is already set above in the same mapping");
    expect(dup!.to).toBeGreaterThan(dup!.from);

    const [tab] = yamlProblems("a:\n\tb: 1\n");
    expect(tab).toMatchObject({ line: 2, message: expect.stringContaining("indent with spaces, not tabs") });
    expect(yamlProblems("a: 1\n")).toEqual([]);
  });

  it("gives the same positions for text with Windows line endings", () => {
    expect(yamlProblems("a: 1\r\na: 2\r\n")).toEqual(yamlProblems("a: 1\na: 2\n"));
    expect(checkValuesYaml("a:\r\n  b: 1\r\n")).toEqual({ ok: true, value: { a: { b: 1 } } });
  });

  it("the error text names the line and column without the parser's code excerpt", () => {
    const r = checkValuesYaml("controlPlane:\n  backingStore: [\n");
    expect(!r.ok && r.errors[0]).toMatch(/^Line 3, column 1: Flow sequence in block collection must be sufficiently indented and end with a \]/);
    expect(!r.ok && r.errors[0]).not.toContain("\n");
  });

  it("warns when the Pod Security Standard, network isolation, quota or Kubernetes version in the values contradict the form", () => {
    const values = {
      policies: { podSecurityStandard: "baseline", networkPolicy: { enabled: true }, resourceQuota: { enabled: true }, limitRange: { enabled: false } },
      controlPlane: { distro: { k8s: { version: "v1.30.2" } } },
    };
    const found = settingsDisagreements(values, { podSecurityStandard: "restricted", isolateNetwork: false, kubernetesVersion: "1.36" });
    expect(found.map((d) => [d.setting, d.path])).toEqual([
      ["podSecurityStandard", "policies.podSecurityStandard"],
      ["isolateNetwork", "policies.networkPolicy.enabled"],
      ["cpuMillicores", "policies.resourceQuota.enabled"],
      ["kubernetesVersion", "controlPlane.distro.k8s.version"],
    ]);
    expect(found[0]!.message).toBe(
      "The values say policies.podSecurityStandard: baseline, but the Pod Security Standard field says restricted. Clusters get restricted (the field wins): change one so they agree.",
    );
  });

  it("is silent when the values agree with the form or do not mention those settings", () => {
    const values = { policies: { podSecurityStandard: "restricted", networkPolicy: { enabled: true } }, controlPlane: { distro: { k8s: { version: "v1.36.1" } } } };
    expect(settingsDisagreements(values, { podSecurityStandard: "restricted", isolateNetwork: true, kubernetesVersion: "1.36" })).toEqual([]);
    expect(settingsDisagreements({}, { podSecurityStandard: "baseline", isolateNetwork: false, kubernetesVersion: "1.36" })).toEqual([]);
  });
});
