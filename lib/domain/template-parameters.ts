import { z } from "zod";
import { formBoolean } from "@/lib/domain/form-boolean";

// Typed template parameters: stored as JSON on TemplateVersion, turned into a zod schema for requests
// and into form fields by the UI.

const name = z.string().regex(/^[a-zA-Z][a-zA-Z0-9]*$/, "parameter names are camelCase identifiers");
const base = { name, label: z.string().min(1), description: z.string().optional() };

export const ZTemplateParameter = z.discriminatedUnion("type", [
  z.object({ ...base, type: z.literal("enum"), options: z.array(z.string().min(1)).min(1), default: z.string() }),
  z.object({ ...base, type: z.literal("integer"), min: z.number().int(), max: z.number().int(), default: z.number().int() }),
  z.object({ ...base, type: z.literal("boolean"), default: z.boolean() }),
  z.object({ ...base, type: z.literal("string"), pattern: z.string().optional(), maxLength: z.number().int().positive().default(63), default: z.string() }),
]);
export type TTemplateParameter = z.infer<typeof ZTemplateParameter>;

export const ZTemplateParameters = z
  .array(ZTemplateParameter)
  .superRefine((params, ctx) => {
    const seen = new Set<string>();
    params.forEach((p, i) => {
      if (seen.has(p.name)) ctx.addIssue({ code: "custom", path: [i, "name"], message: `parameter "${p.name}" is defined twice` });
      seen.add(p.name);
      if (p.type === "enum" && !p.options.includes(p.default))
        ctx.addIssue({ code: "custom", path: [i, "default"], message: `default "${p.default}" is not one of the options` });
      if (p.type === "integer" && (p.min > p.max || p.default < p.min || p.default > p.max))
        ctx.addIssue({ code: "custom", path: [i, "default"], message: `needs min <= default <= max` });
    });
  });
export type TTemplateParameters = z.infer<typeof ZTemplateParameters>;

function fieldSchema(p: TTemplateParameter): z.ZodType<string | number | boolean> {
  switch (p.type) {
    case "enum":
      return z.enum(p.options as [string, ...string[]], { error: `${p.label} must be one of ${p.options.join(", ")}` });
    case "integer":
      return z.coerce
        .number({ error: `${p.label} must be a whole number` })
        .int(`${p.label} must be a whole number`)
        .min(p.min, `${p.label} must be at least ${p.min}`)
        .max(p.max, `${p.label} must be at most ${p.max}`);
    case "boolean":
      return formBoolean();
    case "string": {
      let s = z.string().max(p.maxLength, `${p.label} must be at most ${p.maxLength} characters`);
      if (p.pattern) s = s.regex(new RegExp(p.pattern), `${p.label} has an invalid format`);
      return s;
    }
  }
}

/** zod schema for the values a requester sends; missing values take the defaults, unknown keys are refused. */
export function parameterValuesSchema(params: TTemplateParameters) {
  const shape: Record<string, z.ZodType> = {};
  for (const p of params) shape[p.name] = fieldSchema(p).default(p.default);
  return z.strictObject(shape, { error: (iss) => (iss.code === "unrecognized_keys" ? `unknown parameter(s): ${iss.keys.join(", ")}` : undefined) });
}

export type TParameterValues = Record<string, string | number | boolean>;

export function defaultValues(params: TTemplateParameters): TParameterValues {
  return Object.fromEntries(params.map((p) => [p.name, p.default]));
}
