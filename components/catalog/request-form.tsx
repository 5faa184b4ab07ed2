"use client";

import { AlertCircle, CheckCircle2, ShieldCheck } from "lucide-react";
import Link from "next/link";
import { type FormEvent, startTransition, useActionState, useId, useState } from "react";
import { requestFormErrors, type RequestValues } from "@/components/catalog/request-values";
import { type FormAction, initialState, useActionFeedback } from "@/components/clusters/use-action-feedback";
import { Button, buttonClasses } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { Field, inputClasses } from "@/components/ui/field";
import { ErrorSummary, useFormErrors } from "@/components/ui/field-error-summary";
import { fieldId } from "@/components/ui/field-errors";
import type { TCatalogTemplate, TQuotaPreview } from "@/lib/domain/catalog";
import { ZClusterName } from "@/lib/domain/cluster-name";

export type RequestTeam = { teamId: string; teamName: string; maxLifetimeHours: number };

function nameError(name: string): string[] | undefined {
  const r = ZClusterName.safeParse(name);
  return r.success ? undefined : r.error.issues.slice(0, 1).map((i) => i.message);
}

function QuotaPanel({ preview, approval, teamName }: { preview: TQuotaPreview | undefined; approval: "AUTO" | "REQUIRED"; teamName: string }) {
  if (!preview) return null;
  return (
    <Card aria-labelledby="quota-title">
      <CardHeader titleId="quota-title" title="Quota" description={`This cluster reserves ${preview.need} of the ${teamName} quota.`} />
      <CardBody className="space-y-4">
        <dl className="space-y-3">
          {preview.lines.map((l) => (
            <div key={l.key} className="grid grid-cols-[1fr_auto] gap-x-2 text-sm">
              <dt className="text-slate-600 dark:text-slate-300">{l.label}</dt>
              <dd className={cn("text-right font-medium", l.over && "text-red-700 dark:text-red-400")}>
                {l.after} of {l.limit}
              </dd>
              <dd className="col-span-2">
                <div className="mt-1 h-1.5 overflow-hidden rounded-full bg-slate-100 dark:bg-slate-800" aria-hidden>
                  <div className={cn("h-full rounded-full", l.over ? "bg-red-500" : "bg-brand-500")} style={{ width: `${l.percentAfter}%` }} />
                </div>
                <p className="mt-0.5 text-xs text-slate-500 dark:text-slate-400">{l.over ? "Over the limit" : `${l.remaining} left after this`}</p>
              </dd>
            </div>
          ))}
        </dl>
        <div aria-live="polite" className="text-sm">
          {!preview.fits ? (
            <p className="flex gap-2 text-red-700 dark:text-red-400">
              <AlertCircle className="mt-0.5 size-4 shrink-0" aria-hidden />
              {preview.message}
            </p>
          ) : preview.needsApproval ? (
            <p className="flex gap-2 text-amber-800 dark:text-amber-300">
              <ShieldCheck className="mt-0.5 size-4 shrink-0" aria-hidden />
              {approval === "REQUIRED" ? "This template needs an admin's approval before the cluster is created." : "This request crosses your team's approval threshold: an admin must approve it."}
            </p>
          ) : (
            <p className="flex gap-2 text-emerald-700 dark:text-emerald-400">
              <CheckCircle2 className="mt-0.5 size-4 shrink-0" aria-hidden />
              Fits your team&apos;s quota; it starts right away.
            </p>
          )}
        </div>
      </CardBody>
    </Card>
  );
}

/**
 * The customize form, generated from the template's typed parameters. Every field is checked on submit with
 * the server's own rules (the name also as you type); the server's answer (per-field errors, a form-level
 * message) comes back through useActionState. Errors sit at their fields and in a summary that takes focus.
 */
export function RequestForm({
  template,
  teams,
  initialTeamId,
  initialName,
  initialValues,
  previews,
  action,
}: {
  template: TCatalogTemplate;
  teams: RequestTeam[];
  initialTeamId: string;
  initialName: string;
  /** The parameters' starting values: the template's defaults, or a previous request's (request again). */
  initialValues: RequestValues;
  previews: Record<string, Record<string, TQuotaPreview>>;
  action: FormAction;
}) {
  const [state, formAction, pending] = useActionState(action, initialState);
  useActionFeedback(state, { toastErrors: false });
  const { errors, message, focusKey, check } = useFormErrors(state);
  const [name, setName] = useState(initialName);
  const [nameTouched, setNameTouched] = useState(false);
  const [submittedName, setSubmittedName] = useState<string | null>(null);
  const [teamId, setTeamId] = useState(initialTeamId);
  const [values, setValues] = useState<RequestValues>(initialValues);
  const formId = useId();

  const team = teams.find((t) => t.teamId === teamId) ?? teams[0]!;
  const sizeValue = typeof values.size === "string" ? values.size : "";
  const preview = previews[team.teamId]?.[sizeValue] ?? previews[team.teamId]?.[""];

  // The name is checked as it is typed, and keeps the last submit's error (say, "already used") until it
  // changes; other fields keep theirs until the next submit.
  const nameErrors = (nameTouched ? nameError(name) : undefined) ?? (name === submittedName ? errors.name : undefined);
  const errorsFor = (key: string) => errors[key];
  const idFor = (key: string) => fieldId(formId, key);
  const summaryFields = [{ name: "name", label: "Name" }, { name: "teamId", label: "Team" }, ...template.parameters.map((p) => ({ name: `parameters.${p.name}`, label: p.label }))];

  // Dispatched by hand (not through the form's action) so React does not reset the form afterwards: a
  // reset would put selects back to their first option while the state keeps the chosen one. Without
  // JavaScript the form still posts to the same server action.
  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setSubmittedName(name);
    if (!check(requestFormErrors(name, values, template, team.maxLifetimeHours))) return;
    const data = new FormData(e.currentTarget);
    startTransition(() => formAction(data));
  }

  return (
    <div className="grid gap-6 lg:grid-cols-3">
      <form action={formAction} onSubmit={onSubmit} noValidate className="lg:col-span-2" aria-label="Cluster settings">
        <input type="hidden" name="templateSlug" value={template.slug} />
        <input type="hidden" name="templateVersion" value={template.version} />
        <Card>
          <CardHeader title="Cluster settings" description={`${template.name} v${template.version} · Kubernetes ${template.kubernetesVersion}`} />
          <CardBody className="space-y-5">
            <ErrorSummary formId={formId} message={message} errors={errors} fields={summaryFields} focusKey={focusKey} />

            <Field id={idFor("name")} label="Name" hint="Lower-case letters, digits and '-'; it becomes part of the namespace." errors={nameErrors}>
              {(p) => (
                <input
                  {...p}
                  name="name"
                  value={name}
                  onChange={(e) => {
                    setName(e.target.value);
                    setNameTouched(true);
                  }}
                  onBlur={() => setNameTouched(true)}
                  autoComplete="off"
                  spellCheck={false}
                  maxLength={63}
                  className={cn(inputClasses, "font-mono")}
                />
              )}
            </Field>

            {teams.length > 1 ? (
              <Field id={idFor("teamId")} label="Team" errors={errorsFor("teamId")} hint="The cluster counts against this team's quota.">
                {(p) => (
                  <select {...p} name="teamId" value={teamId} onChange={(e) => setTeamId(e.target.value)} className={inputClasses}>
                    {teams.map((t) => (
                      <option key={t.teamId} value={t.teamId}>
                        {t.teamName}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
            ) : (
              <div className="text-sm">
                <input type="hidden" name="teamId" value={team.teamId} />
                <span className="text-slate-500 dark:text-slate-400">Team: </span>
                <span className="font-medium">{team.teamName}</span>
              </div>
            )}

            {template.parameters.map((p) => {
              const key = `parameters.${p.name}`;
              const errors = errorsFor(key);
              const value = values[p.name];
              const set = (v: string | boolean) => setValues((prev) => ({ ...prev, [p.name]: v }));
              switch (p.type) {
                case "enum":
                  return (
                    <Field key={p.name} id={idFor(key)} label={p.label} hint={p.description} errors={errors}>
                      {(fp) => (
                        <select {...fp} name={key} value={String(value)} onChange={(e) => set(e.target.value)} className={inputClasses}>
                          {p.options.map((o) => (
                            <option key={o} value={o}>
                              {o}
                            </option>
                          ))}
                        </select>
                      )}
                    </Field>
                  );
                case "integer": {
                  const max = p.name === "ttlHours" ? Math.min(p.max, team.maxLifetimeHours || p.max) : p.max;
                  return (
                    <Field key={p.name} id={idFor(key)} label={p.label} hint={p.description ?? `Between ${p.min} and ${max}`} errors={errors}>
                      {(fp) => (
                        <input {...fp} name={key} type="number" inputMode="numeric" min={p.min} max={max} step={1} value={String(value)} onChange={(e) => set(e.target.value)} className={cn(inputClasses, "max-w-40")} />
                      )}
                    </Field>
                  );
                }
                case "boolean":
                  return (
                    <Field key={p.name} id={idFor(key)} label={p.label} hint={p.description} errors={errors} inline>
                      {(fp) => (
                        <>
                          <input type="hidden" name={key} value="false" />
                          <input {...fp} name={key} type="checkbox" value="true" checked={value === true} onChange={(e) => set(e.target.checked)} className="size-4 rounded border-slate-300 accent-brand-600" />
                        </>
                      )}
                    </Field>
                  );
                case "string":
                  return (
                    <Field key={p.name} id={idFor(key)} label={p.label} hint={p.description} errors={errors}>
                      {(fp) => <input {...fp} name={key} value={String(value)} maxLength={p.maxLength} onChange={(e) => set(e.target.value)} className={inputClasses} />}
                    </Field>
                  );
              }
            })}
          </CardBody>
          <div className="flex flex-wrap items-center gap-3 border-t border-slate-100 px-5 py-4 dark:border-slate-800">
            <Button type="submit" loading={pending} loadingText="Requesting…">
              {preview?.needsApproval ? "Request for approval" : "Create cluster"}
            </Button>
            <Link href="/" className={buttonClasses({ variant: "ghost" })}>
              Cancel
            </Link>
          </div>
        </Card>
      </form>
      <div className="space-y-6">
        <QuotaPanel preview={preview} approval={template.approval} teamName={team.teamName} />
        <Card>
          <CardHeader title="About this template" />
          <CardBody className="space-y-2 text-sm text-slate-600 dark:text-slate-300">
            <p>
              Lives {template.defaultTtlHours} h by default, at most {template.maxTtlHours} h; then it is {template.expiryAction === "SLEEP" ? "put to sleep" : "deleted"}.
            </p>
          </CardBody>
        </Card>
      </div>
    </div>
  );
}
