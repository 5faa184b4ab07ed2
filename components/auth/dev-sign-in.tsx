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
          <h2 id={`${baseId}-users-title`} className="mb-2 text-sm font-medium text-zinc-700 dark:text-zinc-300">
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
                    className="group flex w-full flex-col items-start rounded-lg border border-zinc-200 px-4 py-2.5 text-left transition hover:border-indigo-300 hover:bg-indigo-50/60 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 disabled:cursor-wait disabled:opacity-60 dark:border-zinc-800 dark:hover:border-indigo-700 dark:hover:bg-indigo-950/40 dark:focus-visible:outline-indigo-400"
                  >
                    <span id={nameId} className="text-sm font-medium text-zinc-900 dark:text-zinc-100">
                      {u.email}
                    </span>
                    <span id={descId} className="text-xs text-zinc-500 dark:text-zinc-400">
                      {u.description}
                    </span>
                  </button>
                </li>
              );
            })}
          </ul>
        </form>
      ) : (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          The database has no users yet. Run <code className="font-mono">npm run db:seed</code>, or enter the e-mail of an existing user.
        </p>
      )}

      <form action={formAction} className="space-y-2" noValidate>
        <input type="hidden" name="callbackUrl" value={callbackUrl} />
        <label htmlFor={emailInputId} className="block text-sm font-medium text-zinc-700 dark:text-zinc-300">
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
            className="min-w-0 flex-1 rounded-lg border border-zinc-300 bg-white px-3 py-2 text-sm text-zinc-900 placeholder:text-zinc-400 focus-visible:border-indigo-500 focus-visible:outline-2 focus-visible:outline-offset-0 focus-visible:outline-indigo-500/40 dark:border-zinc-700 dark:bg-zinc-950 dark:text-zinc-100 dark:placeholder:text-zinc-500"
          />
          <button
            type="submit"
            disabled={pending}
            className="rounded-lg border border-zinc-300 px-4 py-2 text-sm font-medium text-zinc-800 transition hover:bg-zinc-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 disabled:cursor-wait disabled:opacity-60 dark:border-zinc-700 dark:text-zinc-100 dark:hover:bg-zinc-800 dark:focus-visible:outline-indigo-400"
          >
            {pending ? "Signing in…" : "Sign in"}
          </button>
        </div>
      </form>
    </div>
  );
}
