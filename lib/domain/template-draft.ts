import { parseDocument } from "yaml";
import { z } from "zod";
import { ZTemplateParameters, type TTemplateParameters } from "@/lib/domain/template-parameters";

// Pure checks of a template version draft, shared by the admin form (live, in the browser, before saving)
// and createTemplateVersion (authoritative, on the server). No Node or Prisma imports here.

export type DraftCheck<T> = { ok: true; value: T } | { ok: false; errors: string[] };

/** The values must be YAML whose top level is a mapping (a vcluster.yaml); an empty document is allowed. */
export function checkValuesYaml(text: string): DraftCheck<Record<string, unknown>> {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.slice(0, 5).map((e) => {
        const pos = e.linePos?.[0];
        const first = e.message.split("\n")[0] ?? e.message;
        return pos && !/at line \d+/.test(first) ? `Line ${pos.line}, column ${pos.col}: ${first}` : first;
      }),
    };
  }
  const value: unknown = doc.toJS();
  if (value === null || value === undefined) return { ok: true, value: {} };
  if (typeof value !== "object" || Array.isArray(value)) return { ok: false, errors: ["The values must be a YAML mapping (key: value lines), like a vcluster.yaml."] };
  return { ok: true, value: value as Record<string, unknown> };
}

/** The parameters are a JSON array that ZTemplateParameters accepts; messages name the parameter at fault. */
export function checkParametersJson(text: string): DraftCheck<TTemplateParameters> {
  let raw: unknown;
  try {
    raw = text.trim() === "" ? [] : JSON.parse(text);
  } catch (e) {
    return { ok: false, errors: [`Not valid JSON: ${(e as Error).message}`] };
  }
  const r = ZTemplateParameters.safeParse(raw);
  if (r.success) return { ok: true, value: r.data };
  return { ok: false, errors: r.error.issues.slice(0, 8).map((i) => describeIssue(raw, i)) };
}

function describeIssue(raw: unknown, issue: z.core.$ZodIssue): string {
  const [index, ...rest] = issue.path;
  if (typeof index !== "number") return issue.message;
  const item = Array.isArray(raw) ? (raw[index] as { name?: unknown } | undefined) : undefined;
  const who = typeof item?.name === "string" ? `parameter "${item.name}"` : `parameter ${index + 1}`;
  return `${who}${rest.length ? ` (${rest.join(".")})` : ""}: ${issue.message}`;
}

const KEY_ORDER = ["name", "label", "description", "type", "options", "min", "max", "pattern", "maxLength", "default"];

/**
 * Pretty-printed parameters with keys in one fixed order, so stored JSON (Postgres jsonb reorders keys)
 * and what an admin typed diff line by line on meaning, not on key order.
 */
export function formatParameters(params: unknown): string {
  const canon = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(canon);
    if (!v || typeof v !== "object") return v;
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o).sort((a, b) => {
      const ia = KEY_ORDER.indexOf(a);
      const ib = KEY_ORDER.indexOf(b);
      return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib) || a.localeCompare(b);
    });
    return Object.fromEntries(keys.map((k) => [k, canon(o[k])]));
  };
  return JSON.stringify(canon(params ?? []), null, 2);
}
