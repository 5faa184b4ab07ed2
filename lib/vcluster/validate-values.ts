import Ajv2020, { type ErrorObject, type ValidateFunction } from "ajv/dist/2020";
import { AppError } from "@/lib/errors";
import { isSupportedChartVersion, unsupportedChartVersionMessage, type TSupportedChartVersion } from "@/lib/vcluster/chart-versions";
import { VALUES_SCHEMAS } from "@/lib/vcluster/values-schemas";

// Server side only: ajv compiles a schema into code with `new Function`, which the production
// Content-Security-Policy (no 'unsafe-eval', next.config.mjs) forbids in the browser.

export type TValuesError = { path: string; message: string };
export type TValuesValidation = { ok: true } | { ok: false; errors: TValuesError[] };

/**
 * Checks a vcluster.yaml (already parsed) against the values schema of the chart version it will be installed
 * with, the same schema Helm enforces at install time, so a typo or a key a chart version removed is refused
 * when the template is published rather than when a cluster fails to install. Each message starts with the
 * dotted YAML path at fault.
 */
export function validateVclusterValues(chartVersion: string, values: unknown): TValuesValidation {
  if (!isSupportedChartVersion(chartVersion)) {
    const message = unsupportedChartVersionMessage(chartVersion);
    throw new AppError("VALIDATION", message, { chartVersion: [message] });
  }
  // Helm drops keys set to null while merging the chart's defaults (that is how a default is removed), before it
  // validates: do the same so `key: null` is not reported as a wrong type.
  const merged = withoutNullKeys(values);
  const validate = validatorFor(chartVersion);
  if (validate(merged)) return { ok: true };
  return { ok: false, errors: describeErrors(validate.errors ?? [], merged, chartVersion) };
}

const validators = new Map<TSupportedChartVersion, ValidateFunction>();

// Compiling a schema takes ~200 ms: once per chart version and process.
function validatorFor(chartVersion: TSupportedChartVersion): ValidateFunction {
  let validate = validators.get(chartVersion);
  if (!validate) {
    // One instance per version: both schemas carry the same $id. strictTypes is off because the chart's schema
    // has `additionalProperties` without `type: object` (plugins), which Helm accepts.
    const ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false });
    // The chart's generator marks licensed fields `"pro": true`; an annotation, not a constraint.
    ajv.addKeyword({ keyword: "pro", schemaType: "boolean" });
    validate = ajv.compile(VALUES_SCHEMAS[chartVersion]);
    validators.set(chartVersion, validate);
  }
  return validate;
}

function withoutNullKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNullKeys);
  if (!value || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== null)
      .map(([k, v]) => [k, withoutNullKeys(v)]),
  );
}

/**
 * Turns ajv's errors into one readable line per problem. A oneOf/anyOf (in these schemas: unions of types, like
 * `enabled: string | boolean`) reports every branch that failed plus a summary; that becomes "must be string or
 * boolean", or, when a branch had the right type, only that branch's own errors.
 */
function describeErrors(errors: ErrorObject[], values: unknown, chartVersion: string): TValuesError[] {
  const combinators = errors.filter((e) => e.keyword === "oneOf" || e.keyword === "anyOf");
  const isBranchOf = (e: ErrorObject, c: ErrorObject) => e.schemaPath.startsWith(`${c.schemaPath}/`) && e.instancePath.startsWith(c.instancePath);
  const plain = errors.filter((e) => !combinators.includes(e) && !combinators.some((c) => isBranchOf(e, c)));

  const out: TValuesError[] = plain.map((e) => describeError(e, values, chartVersion));
  for (const c of combinators) {
    const branches = errors.filter((e) => e !== c && isBranchOf(e, c));
    const wrongType = (e: ErrorObject) => e.keyword === "type" && e.instancePath === c.instancePath;
    const branchIndex = (e: ErrorObject) => e.schemaPath.slice(c.schemaPath.length + 1).split("/")[0];
    const typedRight = branches.filter((e) => !branches.some((o) => wrongType(o) && branchIndex(o) === branchIndex(e)));
    const path = yamlPath(c.instancePath, values);
    if (typedRight.length > 0) {
      const first = branchIndex(typedRight[0]!);
      out.push(...typedRight.filter((e) => branchIndex(e) === first && !combinators.includes(e)).map((e) => describeError(e, values, chartVersion)));
    } else if (branches.length > 0) {
      const types = [...new Set(branches.flatMap((e) => String(e.params.type).split(",")))];
      out.push({ path, message: `${path}: must be ${types.join(" or ")}` });
    } else {
      out.push({ path, message: `${path}: matches more than one allowed form` });
    }
  }

  const seen = new Set<string>();
  return out.filter((e) => !seen.has(e.message) && seen.add(e.message));
}

function describeError(e: ErrorObject, values: unknown, chartVersion: string): TValuesError {
  const at = yamlPath(e.instancePath, values);
  const child = (key: string) => (at === TOP ? formatKey(key, true) : `${at}${formatKey(key, false)}`);
  const line = (path: string, text: string): TValuesError => ({ path, message: `${path}: ${text}` });
  switch (e.keyword) {
    case "additionalProperties":
      return line(child(String(e.params.additionalProperty)), `unknown key (not in the chart ${chartVersion} values schema)`);
    case "required":
      return line(child(String(e.params.missingProperty)), "is required");
    case "type":
      return line(at, `must be ${String(e.params.type).split(",").join(" or ")}`);
    case "enum":
      return line(at, `must be one of ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`);
    case "const":
      return line(at, `must be ${JSON.stringify(e.params.allowedValue)}`);
    default:
      return line(at, e.message ?? "is not valid");
  }
}

const TOP = "(top level)";

/** "/sync/toHost/pods/patches/0/path" → "sync.toHost.pods.patches[0].path", reading the values to tell list indexes from keys. */
function yamlPath(pointer: string, values: unknown): string {
  if (pointer === "") return TOP;
  let node: unknown = values;
  let path = "";
  for (const raw of pointer.slice(1).split("/")) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (Array.isArray(node)) {
      path += `[${key}]`;
      node = node[Number(key)];
    } else {
      path += formatKey(key, path === "");
      node = node && typeof node === "object" ? (node as Record<string, unknown>)[key] : undefined;
    }
  }
  return path;
}

// Keys like `app.kubernetes.io/name` (labels, annotations) are quoted so the path stays unambiguous.
function formatKey(key: string, first: boolean): string {
  if (/^[A-Za-z_][\w-]*$/.test(key)) return first ? key : `.${key}`;
  return `[${JSON.stringify(key)}]`;
}
