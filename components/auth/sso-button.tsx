"use client";

import { useFormStatus } from "react-dom";

function SubmitButton({ providerName }: { providerName: string }) {
  const { pending } = useFormStatus();
  return (
    <button
      type="submit"
      disabled={pending}
      aria-busy={pending}
      className="flex w-full items-center justify-center rounded-lg bg-brand-600 px-4 py-2.5 text-sm font-medium text-white shadow-sm transition hover:bg-brand-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-focus disabled:cursor-wait disabled:opacity-70 dark:bg-brand-500 dark:hover:bg-brand-600"
    >
      {pending ? "Redirecting…" : `Continue with ${providerName}`}
    </button>
  );
}

/** Starts the OIDC sign-in (a server action that redirects to the identity provider). */
export function SsoButton({
  providerName,
  callbackUrl,
  action,
}: {
  providerName: string;
  callbackUrl: string;
  action: (formData: FormData) => Promise<void>;
}) {
  return (
    <form action={action}>
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      <SubmitButton providerName={providerName} />
    </form>
  );
}
