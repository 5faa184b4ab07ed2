"use client";

import { KeyRound, TriangleAlert } from "lucide-react";
import { useActionState, useEffect, useRef, useState } from "react";
import { ActionMessage } from "@/components/clusters/cluster-actions";
import { useActionFeedback } from "@/components/clusters/use-action-feedback";
import type { CreateTokenAction, CreateTokenState, NewApiToken } from "@/components/tokens/types";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { CommandLine, CopyButton } from "@/components/ui/copy-button";
import { Field, inputClasses } from "@/components/ui/field";
import { API_TOKEN_SCOPES, SCOPE_DESCRIPTIONS } from "@/lib/auth/api-token-scopes";

const initial: CreateTokenState = { ok: false };

const SCOPE_CHOICES = [
  { value: "read", label: "Read only", description: `Scripts may ${SCOPE_DESCRIPTIONS.read}.` },
  { value: API_TOKEN_SCOPES.join(","), label: "Read and write", description: `Scripts may ${SCOPE_DESCRIPTIONS.read}, and ${SCOPE_DESCRIPTIONS.write}.` },
] as const;

/**
 * Name, lifetime and scopes of a new personal API token. On success the secret is shown once, with a copy
 * button and a warning, until the person dismisses it; the list below refreshes from the server.
 */
export function CreateTokenForm({ action, maxDays, defaultDays }: { action: CreateTokenAction; maxDays: number; defaultDays: number }) {
  const [state, formAction, pending] = useActionState(action, initial);
  const [dismissedAt, setDismissedAt] = useState<number | undefined>(undefined);
  useActionFeedback(state, { toastErrors: false });
  const created = state.ok && state.data && state.at !== dismissedAt ? state.data : null;

  return (
    <div className="space-y-5">
      {created ? <NewTokenPanel token={created} onDone={() => setDismissedAt(state.at)} /> : null}
      <form action={formAction} className="space-y-4" noValidate aria-label="Create an API token">
        <div className="grid gap-4 sm:grid-cols-2">
          <Field label="Name" hint="What uses it, e.g. ci or laptop" errors={state.fieldErrors?.name}>
            {(p) => <input {...p} name="name" required maxLength={64} autoComplete="off" spellCheck={false} placeholder="ci" className={inputClasses} />}
          </Field>
          <Field label="Expires in (days)" hint={`1 to ${maxDays} days`} errors={state.fieldErrors?.expiresInDays}>
            {(p) => <input {...p} name="expiresInDays" type="number" inputMode="numeric" min={1} max={maxDays} step={1} required defaultValue={defaultDays} className={inputClasses} />}
          </Field>
        </div>
        <fieldset aria-describedby={state.fieldErrors?.scopes ? "token-scopes-error" : undefined}>
          <legend className="text-sm font-medium text-slate-800 dark:text-slate-200">Scopes</legend>
          <div className="mt-2 grid gap-2 sm:grid-cols-2">
            {SCOPE_CHOICES.map((c, i) => (
              <label
                key={c.value}
                className="flex cursor-pointer items-start gap-3 rounded-lg border border-slate-200 p-3 has-[:checked]:border-brand-500 has-[:checked]:bg-brand-50/60 has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-brand-500 dark:border-slate-700 dark:has-[:checked]:bg-brand-700/15"
              >
                <input type="radio" name="scopes" value={c.value} defaultChecked={i === 0} className="mt-0.5 accent-brand-600" />
                <span>
                  <span className="block text-sm font-medium text-slate-900 dark:text-slate-100">{c.label}</span>
                  <span className="block text-xs text-slate-500 dark:text-slate-400">{c.description}</span>
                </span>
              </label>
            ))}
          </div>
          {state.fieldErrors?.scopes ? (
            <p id="token-scopes-error" className="mt-1 text-xs font-medium text-red-700 dark:text-red-400">
              {state.fieldErrors.scopes.join(" ")}
            </p>
          ) : null}
        </fieldset>
        <div className="flex items-center gap-3">
          <Button type="submit" loading={pending} loadingText="Creating…" icon={<KeyRound className="size-4" aria-hidden />}>
            Create token
          </Button>
          <ActionMessage state={state} className={state.fieldErrors ? "sr-only" : undefined} />
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
