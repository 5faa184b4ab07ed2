import { describe, expect, it } from "vitest";
import { z } from "zod";
import { fieldId, hasErrors, summaryLines, zodFormErrors } from "@/components/ui/field-errors";

describe("form error helpers", () => {
  it("names a field's control with an id safe for dotted names", () => {
    expect(fieldId("f1", "parameters.ttlHours")).toBe("f1-parameters-ttlHours");
    expect(fieldId("f1", "name")).toBe("f1-name");
  });

  it("tells empty error maps from real ones", () => {
    expect(hasErrors(undefined)).toBe(false);
    expect(hasErrors({})).toBe(false);
    expect(hasErrors({ name: [] , x: undefined })).toBe(false);
    expect(hasErrors({ name: ["Name is required"] })).toBe(true);
  });

  it("turns every zod issue into a field error under the server's dotted names", () => {
    const schema = z.object({ size: z.enum(["small"], { error: "Size must be small" }), ttlHours: z.number().min(1, "at least 1") });
    const r = schema.safeParse({ size: "huge", ttlHours: 0 });
    expect(r.success).toBe(false);
    expect(zodFormErrors(r.error!, "parameters.")).toEqual({ "parameters.size": ["Size must be small"], "parameters.ttlHours": ["at least 1"] });
    const top = z.string().min(1, "empty").safeParse("");
    expect(zodFormErrors(top.error!)).toEqual({ _form: ["empty"] });
  });

  it("lists errors in the form's order, then what the server named that the form does not show", () => {
    const fields = [
      { name: "name", label: "Name" },
      { name: "teamId", label: "Team" },
      { name: "parameters.ttlHours", label: "Lifetime (hours)" },
    ];
    const lines = summaryLines({ "parameters.ttlHours": ["at least 1"], _form: ["try later"], name: ["Name is required"], teamId: [] }, fields);
    expect(lines).toEqual([
      { name: "name", label: "Name", messages: ["Name is required"] },
      { name: "parameters.ttlHours", label: "Lifetime (hours)", messages: ["at least 1"] },
      { name: "_form", label: null, messages: ["try later"] },
    ]);
    expect(summaryLines({}, fields)).toEqual([]);
  });
});
