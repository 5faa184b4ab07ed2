import { describe, expect, it } from "vitest";
import { checkParametersJson, checkValuesYaml, formatParameters } from "./template-draft";

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
});
