"use client";

import { KeyRound, TriangleAlert } from "lucide-react";
import { type FormEvent, startTransition, useActionState, useEffect, useId, useRef, useState } from "react";
import { ActionMessage } from "@/components/clusters/cluster-actions";
import { useActionFeedback } from "@/components/clusters/use-action-feedback";
import type { CreateTokenAction, CreateTokenState, NewApiToken } from "@/components/tokens/types";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { CommandLine, CopyButton } from "@/components/ui/copy-button";
import { Field, inputClasses } from "@/components/ui/field";
import { ErrorSummary, useFormErrors } from "@/components/ui/field-error-summary";
import { fieldId, type FormErrors } from "@/components/ui/field-errors";
import { API_TOKEN_SCOPES, SCOPE_DESCRIPTIONS } from "@/lib/auth/api-token-scopes";

const initial: CreateTokenState = { ok: false };

const SCOPE_CHOICES = [
  { value: "read", label: "Read only", description: `Scripts may ${SCOPE_DESCRIPTIONS.read}.` },
  { value: API_TOKEN_SCOPES.join(","), label: "Read and write", description: `Scripts may ${SCOPE_DESCRIPTIONS.read}, and ${SCOPE_DESCRIPTIONS.write}.` },
] as const;

const SUMMARY_FIELDS = [
  { name: "name", label: "Name" },
  { name: "expiresInDays", label: "Expires in (days)" },
  { name: "scopes", label: "Scopes" },
];

/** Both fields' problems at once, in the server's words (lib/domain/create-api-token.ts). */
export function tokenFormErrors(form: FormData, maxDays: number): FormErrors {
  const errors: FormErrors = {};
  const name = String(form.get("name") ?? "").trim();
  if (!name) errors.name = ["Give the token a name"];
  else if (name.length > 64) errors.name = ["At most 64 characters"];
  const raw = String(form.get("expiresInDays") ?? "").trim();
  const days = Number(raw);
  if (raw !== "" && !Number.isInteger(days)) errors.expiresInDays = ["A whole number of days"];
  else if (raw !== "" && days < 1) errors.expiresInDays = ["At least 1 day"];
  else if (days > maxDays) errors.expiresInDays = [`At most ${maxDays} days: the portal's limit for API tokens`];
  return errors;
}

/**
 * Name, lifetime and scopes of a new personal API token. On success the secret is shown once, with a copy
 * button and a warning, until the person dismisses it; the list below refreshes from the server.
 */
export function CreateTokenForm({ action, maxDays, defaultDays }: { action: CreateTokenAction; maxDays: number; defaultDays: number }) {
  const [state, formAction, pending] = useActionState(action, initial);
  const [dismissedAt, setDismissedAt] = useState<number | undefined>(undefined);
  useActionFeedback(state, { toastErrors: false });
  const { errors, message, focusKey, check } = useFormErrors(state);
  const formId = useId();
  const created = state.ok && state.data && state.at !== dismissedAt ? state.data : null;
  // After a refusal the fields show what was typed (React resets a form after its action).
  const typed = !state.ok ? state.values : undefined;

  // Sent by hand, once every field passes.
  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    if (check(tokenFormErrors(data, maxDays))) startTransition(() => formAction(data));
  }

  return (
    <div className="space-y-5">
      {created ? <NewTokenPanel token={created} onDone={() => setDismissedAt(state.at)} /> : null}
      {/* A new form after each token made, so it starts empty for the next one. */}
      <form key={state.ok ? state.at : "form"} action={formAction} onSubmit={onSubmit} className="space-y-4" noValidate aria-label="Create an API token">
        <ErrorSummary formId={formId} message={message} errors={errors} fields={SUMMARY_FIELDS} focusKey={focusKey} />
        <div className="grid gap-4 sm:grid-cols-2">
          <Field id={fieldId(formId, "name")} label="Name" hint="What uses it, e.g. ci or laptop" errors={errors.name}>
            {(p) => <input {...p} name="name" maxLength={64} autoComplete="off" spellCheck={false} placeholder="ci" defaultValue={typed?.name} className={inputClasses} />}
          </Field>
          <Field id={fieldId(formId, "expiresInDays")} label="Expires in (days)" hint={`1 to ${maxDays} days`} errors={errors.expiresInDays}>
            {(p) => <input {...p} name="expiresInDays" type="number" inputMode="numeric" min={1} max={maxDays} step={1} defaultValue={typed?.expiresInDays ?? defaultDays} className={inputClasses} />}
          </Field>
        </div>
        <fieldset id={fieldId(formId, "scopes")} tabIndex={-1} aria-describedby={errors.scopes ? "token-scopes-error" : undefined}>
          <legend className="text-sm font-medium text-slate-800 dark:text-slate-200">Scopes</legend>
          <div className="mt-2 grid gap-2 sm:grid-cols-2">
            {SCOPE_CHOICES.map((c, i) => (
              <label
                key={c.value}
                className="flex cursor-pointer items-start gap-3 rounded-lg border border-slate-200 p-3 has-[:checked]:border-brand-500 has-[:checked]:bg-brand-50/60 has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-focus dark:border-slate-700 dark:has-[:checked]:bg-brand-700/15"
              >
                <input type="radio" name="scopes" value={c.value} defaultChecked={typed?.scopes ? typed.scopes === c.value : i === 0} className="mt-0.5 accent-brand-600" />
                <span>
                  <span className="block text-sm font-medium text-slate-900 dark:text-slate-100">{c.label}</span>
                  <span className="block text-xs text-slate-500 dark:text-slate-400">{c.description}</span>
                </span>
              </label>
            ))}
          </div>
          {errors.scopes ? (
            <p id="token-scopes-error" className="mt-1 text-xs font-medium text-red-700 dark:text-red-400">
              {errors.scopes.join(" ")}
            </p>
          ) : null}
        </fieldset>
        <div className="flex items-center gap-3">
          <Button type="submit" loading={pending} loadingText="Creating…" icon={<KeyRound className="size-4" aria-hidden />}>
            Create token
          </Button>
          {/* Failures are in the summary above; this announces successes. */}
          <ActionMessage state={state} className="sr-only" />
        </div>
      </form>
    </div>
  );
}

/** The secret, once. Focus moves here so keyboard and screen reader users meet it first. */
function NewTokenPanel({ token, onDone }: { token: NewApiToken; onDone: () => void }) {
  const origin = typeof window === "undefined" ? "" : window.location.origin;
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, [token.id]);
  return (
    <section
      aria-labelledby="new-token-title"
      tabIndex={-1}
      ref={ref}
      className="space-y-3 rounded-xl border border-emerald-300 bg-emerald-50/70 p-4 outline-none dark:border-emerald-800 dark:bg-emerald-950/30"
    >
      <h3 id="new-token-title" className="text-sm font-semibold text-emerald-900 dark:text-emerald-200">
        Your new token “{token.name}”
      </h3>
      <p role="alert" className="flex items-start gap-2 text-sm text-amber-900 dark:text-amber-200">
        <TriangleAlert className="mt-0.5 size-4 shrink-0" aria-hidden />
        <span>
          Copy it now: <strong>it will not be shown again</strong>. Only a fingerprint is stored, so nobody can look it up later. If you lose it, revoke it and
          create a new one.
        </span>
      </p>
      <div className="flex items-center gap-2 rounded-lg bg-white py-1 pr-1 pl-3 ring-1 ring-slate-200 dark:bg-slate-950 dark:ring-slate-700">
        <label htmlFor="new-token-value" className="sr-only">
          New API token
        </label>
        <input
          id="new-token-value"
          readOnly
          value={token.token}
          onFocus={(e) => e.currentTarget.select()}
          spellCheck={false}
          className={cn("min-w-0 flex-1 bg-transparent py-1 font-mono text-[13px] text-slate-900 outline-none dark:text-slate-100")}
        />
        <CopyButton value={token.token} label="Copy token" />
      </div>
      <p className="text-xs text-slate-600 dark:text-slate-300">
        Scopes: {token.scopes.join(", ")} · expires <time dateTime={token.expiresAt}>{new Date(token.expiresAt).toUTCString()}</time>. Try it:
      </p>
      <CommandLine command={`curl -H "Authorization: Bearer ${token.token}" ${origin}/api/v1/clusters`} label="Copy curl command" />
      <div className="flex justify-end">
        <Button variant="secondary" size="sm" onClick={onDone}>
          I have copied it
        </Button>
      </div>
    </section>
  );
}
