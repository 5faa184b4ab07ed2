import { describe, expect, it } from "vitest";
import { ZTemplateParameters, defaultValues, parameterValuesSchema } from "./template-parameters";

const params = ZTemplateParameters.parse([
  { name: "size", label: "Size", type: "enum", options: ["small", "medium"], default: "small" },
  { name: "ttlHours", label: "Lifetime (hours)", type: "integer", min: 1, max: 8, default: 8 },
]);

describe("template parameters", () => {
  it("fills defaults", () => {
    expect(parameterValuesSchema(params).parse({})).toEqual({ size: "small", ttlHours: 8 });
    expect(defaultValues(params)).toEqual({ size: "small", ttlHours: 8 });
  });

  it("coerces form strings and enforces bounds with readable messages", () => {
    expect(parameterValuesSchema(params).parse({ ttlHours: "4" })).toEqual({ size: "small", ttlHours: 4 });
    const r = parameterValuesSchema(params).safeParse({ ttlHours: "99", size: "huge" });
    expect(r.success).toBe(false);
    const messages = r.error!.issues.map((i) => i.message);
    expect(messages).toContain("Lifetime (hours) must be at most 8");
    expect(messages).toContain("Size must be one of small, medium");
  });

  it("refuses unknown parameters", () => {
    const r = parameterValuesSchema(params).safeParse({ color: "red" });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.message).toContain("unknown parameter(s): color");
  });

  it("rejects an invalid parameter definition", () => {
    const r = ZTemplateParameters.safeParse([{ name: "size", label: "Size", type: "enum", options: ["a"], default: "b" }]);
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.message).toContain('default "b" is not one of the options');
  });
});
