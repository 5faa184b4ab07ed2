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

/** Text pasted from Windows arrives with \r\n: stored or diffed as is, every line would count as changed. */
export function normalizeLineEndings(text: string): string {
  return text.replace(/\r\n?/g, "\n");
}

/** A YAML syntax problem at a place in the text: 1-based line and column, and the character range to mark. */
export type YamlProblem = { line: number; column: number; from: number; to: number; message: string };

// What to do about the YAML parser's most common complaints, in words an admin can act on.
const YAML_ADVICE: Record<string, string> = {
  BAD_INDENT: "check this line's indentation against the lines above (spaces only)",
  TAB_AS_INDENT: "indent with spaces, not tabs",
  DUPLICATE_KEY: "this key is already set above in the same mapping",
  MISSING_CHAR: "a quote or bracket opened above is not closed",
  BLOCK_AS_IMPLICIT_KEY: "put the nested key on its own, more indented line",
  MULTILINE_IMPLICIT_KEY: "a key must fit on one line; is a quote or a colon missing?",
};

const parseValues = (text: string) => parseDocument(normalizeLineEndings(text), { prettyErrors: true, uniqueKeys: true });

/** Syntax problems of YAML text with their positions (for the editor's line markers), at most five. */
export function yamlProblems(text: string): YamlProblem[] {
  return problemsIn(parseValues(text));
}

function problemsIn(doc: ReturnType<typeof parseValues>): YamlProblem[] {
  return doc.errors.slice(0, 5).map((e) => {
    const [from, to] = e.pos;
    const at = e.linePos?.[0] ?? { line: 1, col: 1 };
    // prettyErrors appends " at line N, column M:" and a code excerpt: the position is given separately here.
    const said = (e.message.split("\n")[0] ?? e.message).replace(/ at line \d+, column \d+:?$/, "");
    const advice = YAML_ADVICE[e.code];
    return { line: at.line, column: at.col, from, to: Math.max(to, from + 1), message: advice ? `${said}: ${advice}` : said };
  });
}

/** The values must be YAML whose top level is a mapping (a vcluster.yaml); an empty document is allowed. */
export function checkValuesYaml(text: string): DraftCheck<Record<string, unknown>> {
  const doc = parseValues(text);
  const problems = problemsIn(doc);
  if (problems.length > 0) return { ok: false, errors: problems.map((p) => `Line ${p.line}, column ${p.column}: ${p.message}`) };
  const value: unknown = doc.toJS();
  if (value === null || value === undefined) return { ok: true, value: {} };
  if (typeof value !== "object" || Array.isArray(value)) return { ok: false, errors: ["The values must be a YAML mapping (key: value lines), like a vcluster.yaml."] };
  return { ok: true, value: value as Record<string, unknown> };
}

/** The form settings that the portal writes into every cluster's values, over the template's own. */
export type TValuesSettings = { podSecurityStandard: string; isolateNetwork: boolean; kubernetesVersion: string };

export type SettingsDisagreement = { setting: keyof TValuesSettings | "cpuMillicores"; path: string; message: string };

/**
 * Places where the values say one thing and the form another. The portal generates these keys for each
 * cluster and merges them over the template's values (lib/kube/host-objects.ts, generatedVclusterValues),
 * so the form wins; a value that contradicts it misleads whoever reads the YAML. Warnings, not errors.
 */
export function settingsDisagreements(values: Record<string, unknown>, settings: TValuesSettings): SettingsDisagreement[] {
  const out: SettingsDisagreement[] = [];
  const pss = valueAt(values, "policies.podSecurityStandard");
  if (typeof pss === "string" && pss !== settings.podSecurityStandard)
    out.push({
      setting: "podSecurityStandard",
      path: "policies.podSecurityStandard",
      message: `The values say policies.podSecurityStandard: ${pss}, but the Pod Security Standard field says ${settings.podSecurityStandard}. Clusters get ${settings.podSecurityStandard} (the field wins): change one so they agree.`,
    });
  const netpol = valueAt(values, "policies.networkPolicy.enabled");
  if (typeof netpol === "boolean" && netpol !== settings.isolateNetwork)
    out.push({
      setting: "isolateNetwork",
      path: "policies.networkPolicy.enabled",
      message: netpol
        ? `The values turn on vCluster's network policy (policies.networkPolicy.enabled: true), but "Isolate the namespace's network" is off: the portal will not isolate the namespace. Tick the box, or remove the value.`
        : `The values turn off vCluster's network policy (policies.networkPolicy.enabled: false), but "Isolate the namespace's network" is on: the portal still isolates the namespace.`,
    });
  for (const path of ["policies.resourceQuota.enabled", "policies.limitRange.enabled"])
    if (valueAt(values, path) === true)
      out.push({ setting: "cpuMillicores", path, message: `${path}: true is replaced by false: the portal sizes each namespace itself from the CPU and memory fields.` });
  for (const path of ["controlPlane.distro.k8s.version", "controlPlane.distro.k8s.image.tag"]) {
    const v = valueAt(values, path);
    if (typeof v === "string" && v !== "" && !v.replace(/^v/, "").startsWith(`${settings.kubernetesVersion}.`) && v.replace(/^v/, "") !== settings.kubernetesVersion)
      out.push({ setting: "kubernetesVersion", path, message: `The values ask for Kubernetes ${v} (${path}), but the Kubernetes version field says ${settings.kubernetesVersion}. Clusters run ${settings.kubernetesVersion} (the field wins).` });
  }
  return out;
}

function valueAt(values: unknown, path: string): unknown {
  let node = values;
  for (const key of path.split(".")) {
    if (!node || typeof node !== "object" || Array.isArray(node)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
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
 * lib/domain/spec-from-row.ts), so each of its options must be one the chart version supports too.
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
  "controlPlane.backingStore.database.external": "use controlPlane.backingStore.database.embedded (SQLite) or deployed etcd",
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
