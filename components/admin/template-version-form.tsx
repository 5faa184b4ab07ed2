"use client";

import { AlertCircle, AlertTriangle, CheckCircle2 } from "lucide-react";
import { useActionState, useMemo, useState } from "react";
import { toast } from "sonner";
import { TemplateYamlEditor } from "@/components/admin/template-yaml-editor";
import { settingsText, TextDiff } from "@/components/admin/text-diff";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { Field, inputClasses } from "@/components/ui/field";
import { formatCpu, formatMemory } from "@/lib/lifecycle/units";
import {
  checkLicensedValues,
  checkParametersJson,
  checkPrivilegedValues,
  checkValuesYaml,
  formatParameters,
  normalizeLineEndings,
  settingsDisagreements,
  yamlProblems,
} from "@/lib/domain/template-draft";
import { SUPPORTED_CHART_VERSIONS, isSupportedChartVersion, kubernetesMinorVersions } from "@/lib/vcluster/chart-versions";
import type { ActionState } from "@/lib/server/action";

export type VersionDraft = {
  description: string;
  kubernetesVersion: string;
  chartVersion: string;
  valuesYaml: string;
  parametersJson: string;
  cpuMillicores: string;
  memoryMiB: string;
  defaultTtlHours: string;
  maxTtlHours: string;
  approval: "AUTO" | "REQUIRED";
  expiryAction: "DELETE" | "SLEEP";
  podSecurityStandard: "privileged" | "baseline" | "restricted";
  isolateNetwork: boolean;
  /** ClusterRole each person's ServiceAccount is bound to inside the virtual cluster. */
  tenantRole: string;
  /** The values may widen host privileges (lib/vcluster/privileged-keys.ts). */
  privileged: boolean;
};

export type CreateVersionState = ActionState<{ version: number }>;

const mono = cn(inputClasses, "font-mono text-xs leading-5");

/**
 * "New version" of a template: starts from the latest version, checks the values YAML and the parameter
 * JSON as you type (the same checks the server repeats), and shows a diff against the latest version
 * before anything is saved.
 */
export function TemplateVersionForm({
  templateSlug,
  previous,
  previousVersion,
  action,
  onDone,
}: {
  templateSlug: string;
  previous: VersionDraft;
  previousVersion: number | null;
  action: (prev: CreateVersionState, form: FormData) => Promise<CreateVersionState>;
  onDone?: () => void;
}) {
  const [draft, setDraft] = useState<VersionDraft>({ ...previous, valuesYaml: normalizeLineEndings(previous.valuesYaml), parametersJson: normalizeLineEndings(previous.parametersJson), description: "" });
  const set = <K extends keyof VersionDraft>(k: K, v: VersionDraft[K]) => setDraft((d) => ({ ...d, [k]: v }));
  const [state, formAction, pending] = useActionState(async (prev: CreateVersionState, form: FormData) => {
    const next = await action(prev, form);
    if (next.ok) {
      toast.success(next.message);
      onDone?.();
    } else if (!next.fieldErrors) toast.error(next.message);
    return next;
  }, { ok: false } as CreateVersionState);

  const yamlCheck = useMemo(() => checkValuesYaml(draft.valuesYaml), [draft.valuesYaml]);
  const problems = useMemo(() => yamlProblems(draft.valuesYaml), [draft.valuesYaml]);
  // The portal writes these settings over the values (the form wins): say so when the two disagree.
  const disagreements = useMemo(
    () => (yamlCheck.ok ? settingsDisagreements(yamlCheck.value, { podSecurityStandard: draft.podSecurityStandard, isolateNetwork: draft.isolateNetwork, kubernetesVersion: draft.kubernetesVersion }) : []),
    [yamlCheck, draft.podSecurityStandard, draft.isolateNetwork, draft.kubernetesVersion],
  );
  // Licensed keys are known here; the chart's JSON Schema check runs on the server (ajv needs eval, which the CSP forbids).
  const licensed = useMemo(
    () => (yamlCheck.ok && isSupportedChartVersion(draft.chartVersion) ? checkLicensedValues(draft.chartVersion, yamlCheck.value) : []),
    [yamlCheck, draft.chartVersion],
  );
  // Settings that widen host privileges: refused unless the version is marked privileged (the server checks again).
  const privilegedErrors = useMemo(
    () => (yamlCheck.ok ? checkPrivilegedValues(yamlCheck.value, { podSecurityStandard: draft.podSecurityStandard, privileged: draft.privileged }) : { valuesYaml: [], podSecurityStandard: [] }),
    [yamlCheck, draft.podSecurityStandard, draft.privileged],
  );
  const disagree = (setting: string) => disagreements.some((d) => d.setting === setting);
  const k8sOptions = kubernetesMinorVersions(draft.chartVersion);
  const chooseChart = (chart: string) =>
    setDraft((d) => {
      const offered = kubernetesMinorVersions(chart);
      return { ...d, chartVersion: chart, kubernetesVersion: offered.includes(d.kubernetesVersion) ? d.kubernetesVersion : (offered[0] ?? d.kubernetesVersion) };
    });
  const paramsCheck = useMemo(() => checkParametersJson(draft.parametersJson), [draft.parametersJson]);
  const normalizedParams = paramsCheck.ok ? formatParameters(paramsCheck.value) : draft.parametersJson;
  const before = { settings: settingsText({ ...previous, description: "" }), values: normalizeLineEndings(previous.valuesYaml), params: normalizeLineEndings(previous.parametersJson) };
  const after = { settings: settingsText({ ...draft, description: "" }), values: draft.valuesYaml.endsWith("\n") || !draft.valuesYaml ? draft.valuesYaml : `${draft.valuesYaml}\n`, params: normalizedParams };
  const changed = before.settings !== after.settings || before.values !== after.values || before.params !== after.params;
  const valueErrors = [...licensed, ...privilegedErrors.valuesYaml];
  const clientValid = yamlCheck.ok && paramsCheck.ok && valueErrors.length === 0 && privilegedErrors.podSecurityStandard.length === 0;
  const server = !state.ok ? state.fieldErrors : undefined;
  const nextVersion = (previousVersion ?? 0) + 1;

  const num = (k: "cpuMillicores" | "memoryMiB" | "defaultTtlHours" | "maxTtlHours", label: string, hint?: string) => (
    <Field label={label} hint={hint} errors={server?.[k]}>
      {(p) => <input {...p} name={k} type="number" inputMode="numeric" required min={1} value={draft[k]} onChange={(e) => set(k, e.target.value)} className={inputClasses} />}
    </Field>
  );

  return (
    <form action={formAction} className="space-y-6" aria-label={`New version of ${templateSlug}`}>
      <input type="hidden" name="templateSlug" value={templateSlug} />
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <Field label="What changed" hint="Shown to requesters on the template's card in the catalog." errors={server?.description} className="sm:col-span-2 lg:col-span-4">
          {(p) => <input {...p} name="description" value={draft.description} maxLength={500} onChange={(e) => set("description", e.target.value)} className={inputClasses} placeholder="e.g. Kubernetes 1.36, bigger default quota" />}
        </Field>
        <Field label="vCluster chart version" hint="The chart versions this portal has tested." errors={server?.chartVersion}>
          {(p) => (
            <select {...p} name="chartVersion" value={draft.chartVersion} onChange={(e) => chooseChart(e.target.value)} className={inputClasses}>
              {!isSupportedChartVersion(draft.chartVersion) && <option value={draft.chartVersion}>{draft.chartVersion} (not supported)</option>}
              {[...SUPPORTED_CHART_VERSIONS].reverse().map((v) => (
                <option key={v} value={v}>
                  {v}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Kubernetes version" hint="Those the chart version runs." errors={server?.kubernetesVersion}>
          {(p) => (
            <select {...p} name="kubernetesVersion" value={draft.kubernetesVersion} onChange={(e) => set("kubernetesVersion", e.target.value)} className={inputClasses}>
              {!k8sOptions.includes(draft.kubernetesVersion) && <option value={draft.kubernetesVersion}>{draft.kubernetesVersion} (not offered by this chart)</option>}
              {k8sOptions.map((v) => (
                <option key={v} value={v}>
                  {v}
                </option>
              ))}
            </select>
          )}
        </Field>
        {num("cpuMillicores", "CPU (millicores)", Number(draft.cpuMillicores) > 0 ? `${formatCpu(Number(draft.cpuMillicores))} per cluster (size small)` : undefined)}
        {num("memoryMiB", "Memory (MiB)", Number(draft.memoryMiB) > 0 ? `${formatMemory(Number(draft.memoryMiB))} per cluster (size small)` : undefined)}
        {num("defaultTtlHours", "Default lifetime (hours)")}
        {num("maxTtlHours", "Maximum lifetime (hours)")}
        <Field label="Approval" errors={server?.approval}>
          {(p) => (
            <select {...p} name="approval" value={draft.approval} onChange={(e) => set("approval", e.target.value as VersionDraft["approval"])} className={inputClasses}>
              <option value="AUTO">Automatic</option>
              <option value="REQUIRED">An admin approves</option>
            </select>
          )}
        </Field>
        <Field label="On expiry" errors={server?.expiryAction}>
          {(p) => (
            <select {...p} name="expiryAction" value={draft.expiryAction} onChange={(e) => set("expiryAction", e.target.value as VersionDraft["expiryAction"])} className={inputClasses}>
              <option value="DELETE">Delete the cluster</option>
              <option value="SLEEP">Put it to sleep</option>
            </select>
          )}
        </Field>
        <Field label="Pod Security Standard" hint={disagree("podSecurityStandard") ? <DisagreementHint /> : undefined} errors={privilegedErrors.podSecurityStandard.length ? privilegedErrors.podSecurityStandard : server?.podSecurityStandard}>
          {(p) => (
            <select {...p} name="podSecurityStandard" value={draft.podSecurityStandard} onChange={(e) => set("podSecurityStandard", e.target.value as VersionDraft["podSecurityStandard"])} className={inputClasses}>
              <option value="restricted">restricted</option>
              <option value="baseline">baseline</option>
              <option value="privileged">privileged</option>
            </select>
          )}
        </Field>
        <Field label="Role of each person in the cluster" hint="ClusterRole inside the virtual cluster that every downloaded kubeconfig is bound to: cluster-admin, admin, edit, view…" errors={server?.tenantRole}>
          {(p) => <input {...p} name="tenantRole" required maxLength={253} spellCheck={false} autoComplete="off" value={draft.tenantRole} onChange={(e) => set("tenantRole", e.target.value)} className={cn(inputClasses, "font-mono")} />}
        </Field>
        <Field
          label="Isolate the namespace's network"
          hint={disagree("isolateNetwork") ? <DisagreementHint /> : "NetworkPolicy: same namespace, DNS and the API server only."}
          inline
          className="self-end"
        >
          {(p) => <input {...p} type="checkbox" name="isolateNetwork" value="true" checked={draft.isolateNetwork} onChange={(e) => set("isolateNetwork", e.target.checked)} className="size-4 accent-brand-600" />}
        </Field>
        <Field
          label="Privileged"
          hint="Allows values that widen host privileges: security contexts, host paths, extra RBAC rules, host-wide sync, plugins, privileged pod security. Shown on the template and in the audit log."
          errors={server?.privileged}
          inline
          className="self-end sm:col-span-2"
        >
          {(p) => <input {...p} type="checkbox" name="privileged" value="true" checked={draft.privileged} onChange={(e) => set("privileged", e.target.checked)} className="size-4 accent-red-600" />}
        </Field>
      </div>

      <div className="grid gap-4 lg:grid-cols-2">
        <div className="space-y-3">
          <Field label="Values (vcluster.yaml)" hint={<ValidityHint ok={yamlCheck.ok} okText="Valid YAML mapping" />} errors={!yamlCheck.ok ? yamlCheck.errors : valueErrors.length ? valueErrors : server?.valuesYaml}>
            {(p) => <TemplateYamlEditor name="valuesYaml" label="Values (vcluster.yaml)" control={p} value={draft.valuesYaml} problems={problems} onChange={(v) => set("valuesYaml", v)} />}
          </Field>
          {disagreements.length > 0 ? (
            <div role="note" aria-label="Settings and values disagree" data-testid="settings-disagreements" className="rounded-lg border border-amber-300 bg-amber-50 p-3 text-xs text-amber-900 dark:border-amber-700 dark:bg-amber-950/50 dark:text-amber-100">
              <p className="flex items-center gap-1.5 font-semibold">
                <AlertTriangle className="size-3.5" aria-hidden /> The form and the values disagree
              </p>
              <ul className="mt-1 list-disc space-y-1 pl-5">
                {disagreements.map((d) => (
                  <li key={d.path}>{d.message}</li>
                ))}
              </ul>
            </div>
          ) : null}
        </div>
        <Field label="Parameters (JSON)" hint={<ValidityHint ok={paramsCheck.ok} okText={paramsCheck.ok ? `${paramsCheck.value.length} valid parameter${paramsCheck.value.length === 1 ? "" : "s"}` : ""} />} errors={paramsCheck.ok ? server?.parametersJson : paramsCheck.errors}>
          {(p) => <textarea {...p} name="parametersJson" rows={16} spellCheck={false} value={draft.parametersJson} onChange={(e) => set("parametersJson", e.target.value)} className={mono} />}
        </Field>
      </div>

      <section aria-labelledby="diff-heading" className="space-y-3">
        <h3 id="diff-heading" className="text-sm font-semibold">
          Changes against {previousVersion ? `version ${previousVersion}` : "an empty template"}
        </h3>
        {changed ? (
          <>
            <TextDiff label="Settings" before={before.settings} after={after.settings} />
            <TextDiff label="Values" before={before.values} after={after.values} />
            <TextDiff label="Parameters" before={before.params} after={after.params} />
          </>
        ) : (
          <p className="text-sm text-slate-500 dark:text-slate-400">No changes yet: edit the settings, values or parameters above.</p>
        )}
      </section>

      <div className="flex flex-wrap items-center justify-end gap-3 border-t border-slate-100 pt-4 dark:border-slate-800">
        <p role="status" aria-live="polite" className="mr-auto text-sm text-red-700 dark:text-red-400">
          {!clientValid ? "Fix the values or parameters before publishing." : !state.ok && state.at && state.fieldErrors ? state.message : ""}
        </p>
        {onDone ? <Button variant="ghost" onClick={onDone}>Cancel</Button> : null}
        <Button type="submit" disabled={!clientValid || !changed} loading={pending} loadingText="Publishing…">
          Publish version {nextVersion}
        </Button>
      </div>
    </form>
  );
}

function DisagreementHint() {
  return <span className="inline-flex items-center gap-1 text-amber-800 dark:text-amber-300"><AlertTriangle className="size-3.5" aria-hidden /> Disagrees with the values (see under them)</span>;
}

function ValidityHint({ ok, okText }: { ok: boolean; okText: string }) {
  return ok ? (
    <span className="inline-flex items-center gap-1 text-emerald-700 dark:text-emerald-400"><CheckCircle2 className="size-3.5" aria-hidden /> {okText}</span>
  ) : (
    <span className="inline-flex items-center gap-1 text-red-700 dark:text-red-400"><AlertCircle className="size-3.5" aria-hidden /> Not valid yet</span>
  );
}
