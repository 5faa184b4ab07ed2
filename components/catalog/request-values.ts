import { z } from "zod";
import { type FormErrors, zodFormErrors } from "@/components/ui/field-errors";
import { ZClusterName } from "@/lib/domain/cluster-name";
import { parameterValuesSchema, type TTemplateParameter } from "@/lib/domain/template-parameters";
import { lifetimeRefusal } from "@/lib/lifecycle/lifetime";

// The customize form's values: checked in the browser with the server's own rules (all fields at once), and
// carried in the request page's query so "Request again" opens the form with a rejected request's settings.

export type RequestValues = Record<string, string | boolean>;

export function defaultRequestValues(params: readonly TTemplateParameter[]): RequestValues {
  return Object.fromEntries(params.map((p) => [p.name, typeof p.default === "boolean" ? p.default : String(p.default)]));
}

/** Every problem of the form at once, in the server's words: the name, each parameter, the lifetime limits. */
export function requestFormErrors(
  name: string,
  values: RequestValues,
  template: { name: string; maxTtlHours: number; parameters: TTemplateParameter[] },
  teamMaxLifetimeHours: number | null,
): FormErrors {
  const errors: FormErrors = {};
  const n = ZClusterName.safeParse(name);
  if (!n.success) errors.name = [n.error.issues[0]!.message];
  const parsed = parameterValuesSchema(template.parameters).safeParse(values);
  if (!parsed.success) return { ...errors, ...zodFormErrors(parsed.error, "parameters.") };
  const ttl = (parsed.data as Record<string, unknown>).ttlHours;
  const refusal = typeof ttl === "number" ? lifetimeRefusal(ttl, { templateMaxHours: template.maxTtlHours, templateName: template.name, teamMaxHours: teamMaxLifetimeHours || null }) : null;
  if (refusal) errors["parameters.ttlHours"] = [refusal];
  return errors;
}

const PARAM = "parameters.";

/** The request form's address with a previous request's settings (a rejected one, to ask again). */
export function requestAgainHref(c: { name: string; template: { slug: string }; team: { slug: string }; parameters: Record<string, unknown> }): string {
  const query = new URLSearchParams({ team: c.team.slug, name: c.name });
  for (const [k, v] of Object.entries(c.parameters)) if (["string", "number", "boolean"].includes(typeof v)) query.set(PARAM + k, String(v));
  return `/request/${encodeURIComponent(c.template.slug)}?${query}`;
}

const one = z.preprocess((v) => (Array.isArray(v) ? v[0] : v), z.string().max(200).optional()).catch(undefined);
const ZPrefillQuery = z.object({
  team: one,
  name: z.preprocess((v) => (Array.isArray(v) ? v[0] : v), ZClusterName.optional()).catch(undefined),
});

export type RequestPrefill = { team?: string; name?: string; values: RequestValues };

/**
 * The request page's query → the form's starting values. Anything that does not fit the template (an unknown
 * parameter, a value its rules refuse, a malformed name) is dropped, so the form starts from the defaults there.
 */
export function readPrefill(query: Record<string, string | string[] | undefined>, params: readonly TTemplateParameter[]): RequestPrefill {
  const { team, name } = ZPrefillQuery.parse(query);
  const values = defaultRequestValues(params);
  for (const p of params) {
    const raw = one.parse(query[PARAM + p.name]);
    if (raw === undefined) continue;
    const parsed = parameterValuesSchema([p]).safeParse({ [p.name]: raw });
    if (parsed.success) {
      const v = (parsed.data as Record<string, unknown>)[p.name];
      values[p.name] = typeof v === "boolean" ? v : String(v);
    }
  }
  return { team, name, values };
}
