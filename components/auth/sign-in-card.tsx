import type { ReactNode } from "react";

/** The calm, centered card of the sign-in page. */
export function SignInCard({ title, subtitle, children }: { title: string; subtitle?: string; children: ReactNode }) {
  return (
    <section
      aria-labelledby="signin-title"
      className="w-full max-w-md rounded-2xl border border-zinc-200 bg-white p-8 shadow-sm dark:border-zinc-800 dark:bg-zinc-900"
    >
      <header className="mb-6 space-y-1 text-center">
        <h1 id="signin-title" className="text-xl font-semibold tracking-tight text-zinc-900 dark:text-zinc-50">
          {title}
        </h1>
        {subtitle ? <p className="text-sm text-zinc-600 dark:text-zinc-400">{subtitle}</p> : null}
      </header>
      <div className="space-y-6">{children}</div>
    </section>
  );
}

export function SignInDivider({ label }: { label: string }) {
  return (
    <div className="flex items-center gap-3 text-xs uppercase tracking-wide text-zinc-500 dark:text-zinc-400" role="separator" aria-label={label}>
      <span className="h-px flex-1 bg-zinc-200 dark:bg-zinc-800" aria-hidden="true" />
      <span aria-hidden="true">{label}</span>
      <span className="h-px flex-1 bg-zinc-200 dark:bg-zinc-800" aria-hidden="true" />
    </div>
  );
}

/** A polite live region: its text is announced when it changes. Always rendered so announcements work. */
export function SignInAlert({ id, message }: { id?: string; message?: string }) {
  return (
    <div id={id} aria-live="polite" aria-atomic="true" className="empty:hidden">
      {message ? (
        <p
          role="alert"
          className="rounded-lg border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800 dark:border-red-900/60 dark:bg-red-950/40 dark:text-red-200"
        >
          {message}
        </p>
      ) : null}
    </div>
  );
}
