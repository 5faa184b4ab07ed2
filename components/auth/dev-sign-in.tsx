"use client";

import { useActionState, useId } from "react";
import { SignInAlert } from "@/components/auth/sign-in-card";

export type DevSignInState = { error?: string; email?: string };

export type DevUserOption = { email: string; description: string };

/**
 * Development sign-in: one button per seeded user (accessible name = the e-mail, the role/team line is
 * its description) and a small form for any other existing user. Both submit the same server action.
 */
export function DevSignIn({
  users,
  callbackUrl,
  action,
}: {
  users: DevUserOption[];
  callbackUrl: string;
  action: (prev: DevSignInState, formData: FormData) => Promise<DevSignInState>;
}) {
  const [state, formAction, pending] = useActionState(action, {});
  const baseId = useId();
  const emailInputId = `${baseId}-email`;
  const errorId = `${baseId}-error`;

  return (
    <div className="space-y-5">
      <SignInAlert id={errorId} message={state.error} />

      {users.length > 0 ? (
        <form action={formAction} aria-labelledby={`${baseId}-users-title`}>
          <input type="hidden" name="callbackUrl" value={callbackUrl} />
          <h2 id={`${baseId}-users-title`} className="mb-2 text-sm font-medium text-slate-700 dark:text-slate-300">
            Sign in as a seeded user
          </h2>
          <ul className="space-y-2" aria-busy={pending}>
            {users.map((u, i) => {
              const nameId = `${baseId}-u${i}-name`;
              const descId = `${baseId}-u${i}-desc`;
              return (
                <li key={u.email}>
                  <button
                    type="submit"
                    name="email"
                    value={u.email}
                    disabled={pending}
                    aria-labelledby={nameId}
                    aria-describedby={descId}
                    className="group flex w-full flex-col items-start rounded-lg border border-slate-200 px-4 py-2.5 text-left transition hover:border-brand-500/60 hover:bg-brand-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600 disabled:cursor-wait disabled:opacity-60 dark:border-slate-800 dark:hover:border-brand-700 dark:hover:bg-brand-700/20 dark:focus-visible:outline-brand-500"
                  >
                    <span id={nameId} className="text-sm font-medium text-slate-900 dark:text-slate-100">
                      {u.email}
                    </span>
                    <span id={descId} className="text-xs text-slate-500 dark:text-slate-400">
                      {u.description}
                    </span>
                  </button>
                </li>
              );
            })}
          </ul>
        </form>
      ) : (
        <p className="text-sm text-slate-600 dark:text-slate-400">
          The database has no users yet. Run <code className="font-mono">npm run db:seed</code>, or enter the e-mail of an existing user.
        </p>
      )}

      <form action={formAction} className="space-y-2" noValidate>
        <input type="hidden" name="callbackUrl" value={callbackUrl} />
        <label htmlFor={emailInputId} className="block text-sm font-medium text-slate-700 dark:text-slate-300">
          Another user’s e-mail
        </label>
        <div className="flex gap-2">
          <input
            id={emailInputId}
            name="email"
            type="email"
            required
            autoComplete="email"
            defaultValue={state.email}
            key={state.email ?? ""}
            aria-invalid={state.error ? true : undefined}
            aria-describedby={state.error ? errorId : undefined}
            placeholder="someone@example.com"
            className="min-w-0 flex-1 rounded-lg border border-slate-300 bg-white px-3 py-2 text-sm text-slate-900 placeholder:text-slate-400 focus-visible:border-brand-500 focus-visible:outline-2 focus-visible:outline-offset-0 focus-visible:outline-brand-500/40 dark:border-slate-700 dark:bg-slate-950 dark:text-slate-100 dark:placeholder:text-slate-500"
          />
          <button
            type="submit"
            disabled={pending}
            className="rounded-lg border border-slate-300 px-4 py-2 text-sm font-medium text-slate-800 transition hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600 disabled:cursor-wait disabled:opacity-60 dark:border-slate-700 dark:text-slate-100 dark:hover:bg-slate-800 dark:focus-visible:outline-brand-500"
          >
            {pending ? "Signing in…" : "Sign in"}
          </button>
        </div>
      </form>
    </div>
  );
}
