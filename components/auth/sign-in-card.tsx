import type { ReactNode } from "react";

/** The calm, centered card of the sign-in page. */
export function SignInCard({ title, subtitle, children }: { title: string; subtitle?: string; children: ReactNode }) {
  return (
    <section
      aria-labelledby="signin-title"
      className="w-full max-w-md rounded-2xl border border-slate-200 bg-white p-8 shadow-sm dark:border-slate-800 dark:bg-slate-900"
    >
      <header className="mb-6 space-y-1 text-center">
        <h1 id="signin-title" className="text-xl font-semibold tracking-tight text-slate-900 dark:text-slate-50">
          {title}
        </h1>
        {subtitle ? <p className="text-sm text-slate-600 dark:text-slate-400">{subtitle}</p> : null}
      </header>
      <div className="space-y-6">{children}</div>
    </section>
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
