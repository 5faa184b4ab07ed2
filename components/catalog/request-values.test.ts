import { describe, expect, it } from "vitest";
import { defaultRequestValues, readPrefill, requestAgainHref, requestFormErrors } from "@/components/catalog/request-values";
import type { TTemplateParameter } from "@/lib/domain/template-parameters";

const parameters: TTemplateParameter[] = [
  { name: "size", label: "Size", type: "enum", options: ["small", "medium"], default: "small" },
  { name: "ttlHours", label: "Lifetime (hours)", type: "integer", min: 1, max: 24, default: 8 },
  { name: "ingress", label: "Ingress", type: "boolean", default: false },
];
const template = { name: "Sandbox", maxTtlHours: 24, parameters };

describe("the request form's checks", () => {
  it("reports the name and the lifetime together, in the server's words", () => {
    expect(requestFormErrors("X", { size: "small", ttlHours: "0", ingress: false }, template, 720)).toEqual({
      name: ["Use lower-case letters, digits and '-'; start with a letter and end with a letter or digit"],
      "parameters.ttlHours": ["Lifetime (hours) must be at least 1"],
    });
  });

  it("applies the team's shorter maximum lifetime, and passes good values", () => {
    const values = { size: "medium", ttlHours: "12", ingress: true };
    expect(requestFormErrors("ok-name", values, template, 8)).toEqual({ "parameters.ttlHours": ["Your team's clusters live at most 8 hours"] });
    expect(requestFormErrors("ok-name", values, template, 720)).toEqual({});
    // A team without a maximum (0 in the form's data) does not limit it.
    expect(requestFormErrors("ok-name", values, template, 0)).toEqual({});
  });

  it("refuses values the template does not offer", () => {
    expect(requestFormErrors("", { size: "huge", ttlHours: "x", ingress: false }, template, 720)).toEqual({
      name: ["Name is required"],
      "parameters.size": ["Size must be one of small, medium"],
      "parameters.ttlHours": ["Lifetime (hours) must be a whole number"],
    });
  });
});

describe("request again", () => {
  const rejected = { name: "my-dev", template: { slug: "sandbox" }, team: { slug: "payments" }, parameters: { size: "medium", ttlHours: 12, ingress: true } };

  it("carries a request's settings to the request form and back", () => {
    const href = requestAgainHref(rejected);
    expect(href).toBe("/request/sandbox?team=payments&name=my-dev&parameters.size=medium&parameters.ttlHours=12&parameters.ingress=true");
    const query = Object.fromEntries(new URL(href, "http://portal.invalid").searchParams);
    expect(readPrefill(query, parameters)).toEqual({ team: "payments", name: "my-dev", values: { size: "medium", ttlHours: "12", ingress: true } });
  });

  it("drops what does not fit the template and starts from its defaults there", () => {
    const prefill = readPrefill({ team: ["payments", "search"], name: "Bad Name!", "parameters.size": "huge", "parameters.ttlHours": "99", "parameters.other": "x" }, parameters);
    expect(prefill).toEqual({ team: "payments", name: undefined, values: defaultRequestValues(parameters) });
    expect(readPrefill({}, parameters)).toEqual({ team: undefined, name: undefined, values: { size: "small", ttlHours: "8", ingress: false } });
  });
});
