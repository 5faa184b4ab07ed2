import { parseDocument } from "yaml";
import { z } from "zod";
import { ZTemplateParameters, type TTemplateParameters } from "@/lib/domain/template-parameters";
import { imageTagFor, isSupportedChartVersion, kubernetesMinorVersions, unsupportedChartVersionMessage, type TSupportedChartVersion } from "@/lib/vcluster/chart-versions";
import { licensedFeaturesIn } from "@/lib/vcluster/licensed-features";
import { privilegedKeyMessage, privilegedKeysIn, type TPrivilegedVersionSettings } from "@/lib/vcluster/privileged-keys";

// Pure checks of a template version draft, shared by the admin form (live, in the browser, before saving)
// and createTemplateVersion (authoritative, on the server). No Node or Prisma imports here. The values schema
// check (lib/vcluster/validate-values.ts) is not among them: ajv needs eval, which the browser's CSP forbids.

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

/** The chart version must be one the portal knows (its values schema, Kubernetes versions and licensed features). */
export function checkChartVersion(chartVersion: string): DraftCheck<TSupportedChartVersion> {
  return isSupportedChartVersion(chartVersion) ? { ok: true, value: chartVersion } : { ok: false, errors: [unsupportedChartVersionMessage(chartVersion)] };
}

/** The Kubernetes version ("1.36" or "1.36.0") must be one the chart version ships an image for; the value is that image tag. */
export function checkKubernetesVersion(chartVersion: TSupportedChartVersion, kubernetesVersion: string): DraftCheck<string> {
  const tag = imageTagFor(chartVersion, kubernetesVersion);
  return tag ? { ok: true, value: tag } : { ok: false, errors: [`Kubernetes ${kubernetesVersion} is not available with vCluster chart ${chartVersion}; choose ${kubernetesMinorVersions(chartVersion).join(", ")}`] };
}

/**
 * A "kubernetesVersion" parameter lets requesters override the template's Kubernetes version (see
 * lib/reconciler/spec-from-row.ts), so each of its options must be one the chart version supports too.
 */
export function checkKubernetesVersionParameter(chartVersion: TSupportedChartVersion, params: TTemplateParameters): string[] {
  const param = params.find((p) => p.name === "kubernetesVersion");
  if (!param) return [];
  const supported = kubernetesMinorVersions(chartVersion).join(", ");
  if (param.type !== "enum") return [`parameter "kubernetesVersion": make it an enum of the versions vCluster chart ${chartVersion} supports (${supported})`];
  const unsupported = param.options.filter((o) => !imageTagFor(chartVersion, o));
  return unsupported.length === 0 ? [] : [`parameter "kubernetesVersion" (options): ${unsupported.join(", ")} not available with vCluster chart ${chartVersion}; supported: ${supported}`];
}

// What to use instead, where the open-source chart has an equivalent.
const LICENSED_FEATURE_ALTERNATIVES: Record<string, string> = {
  "controlPlane.backingStore.etcd.embedded": "use controlPlane.backingStore.database.embedded (SQLite) or deployed etcd",
  "controlPlane.coredns.embedded": "leave it off; CoreDNS then runs as its own deployment",
};

/** One message per licensed feature the values turn on: those need vCluster Platform, which the portal does not provide. */
export function checkLicensedValues(chartVersion: TSupportedChartVersion, values: Record<string, unknown>): string[] {
  return licensedFeaturesIn(chartVersion, values).map(({ path, feature }) => {
    const instead = LICENSED_FEATURE_ALTERNATIVES[path];
    return `${path}: ${feature} is a licensed vCluster feature (needs vCluster Platform)${instead ? `; ${instead}` : ""}`;
  });
}

/**
 * Settings that widen host privileges (lib/vcluster/privileged-keys.ts) are allowed only in a version an admin
 * marks privileged: one message per setting otherwise, split by the form field it belongs to.
 */
export function checkPrivilegedValues(
  values: Record<string, unknown>,
  settings: TPrivilegedVersionSettings & { privileged: boolean },
): { valuesYaml: string[]; podSecurityStandard: string[] } {
  const out = { valuesYaml: [] as string[], podSecurityStandard: [] as string[] };
  if (settings.privileged) return out;
  for (const use of privilegedKeysIn(values, settings)) (use.path === "podSecurityStandard" ? out.podSecurityStandard : out.valuesYaml).push(privilegedKeyMessage(use));
  return out;
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
