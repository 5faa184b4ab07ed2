"use client";

import { AlertCircle } from "lucide-react";
import { useEffect, useRef, useState } from "react";
import { fieldId, type FormErrors, hasErrors, type SummaryField, summaryLines } from "@/components/ui/field-errors";
import type { ActionState } from "@/lib/server/action";

const CORRECT_THEM = "Please correct the highlighted fields.";

/**
 * The errors a form shows: those of the person's last submit, whether the browser's check stopped it (`check`)
 * or the server answered. `focusKey` changes on every failed submit; the summary takes focus then.
 */
export function useFormErrors(state: ActionState<unknown>) {
  const [client, setClient] = useState<{ errors: FormErrors; serverAt: number | undefined; n: number } | null>(null);
  const clientCurrent = client !== null && client.serverAt === state.at;
  const server = !state.ok && state.at ? state : null;
  return {
    errors: clientCurrent ? client.errors : (server?.fieldErrors ?? {}),
    message: clientCurrent ? CORRECT_THEM : (server?.message ?? null),
    focusKey: clientCurrent ? `client-${client.n}` : server ? `server-${server.at}` : null,
    /** Call on submit with the client's checks: true when the form may be sent. */
    check(errors: FormErrors): boolean {
      if (!hasErrors(errors)) {
        setClient(null);
        return true;
      }
      setClient((prev) => ({ errors, serverAt: state.at, n: (prev?.n ?? 0) + 1 }));
      return false;
    },
    /** Forget the client's last check (a dialog opened again starts clean). */
    reset: () => setClient(null),
  };
}

/**
 * What went wrong with the last submit, above the form: the message and one line per field linking to it.
 * It takes focus after a failed submit (so keyboard and screen reader users start there) and is an alert.
 */
export function ErrorSummary({ formId, message, errors, fields, focusKey }: { formId: string; message: string | null; errors: FormErrors; fields: readonly SummaryField[]; focusKey: string | null }) {
  const ref = useRef<HTMLDivElement>(null);
  const lines = summaryLines(errors, fields);
  const shown = !!message || lines.length > 0;
  useEffect(() => {
    if (focusKey && shown) ref.current?.focus();
  }, [focusKey, shown]);
  if (!shown) return null;
  return (
    <div
      ref={ref}
      role="alert"
      tabIndex={-1}
      data-testid="error-summary"
      className="rounded-lg border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800 outline-none focus:ring-2 focus:ring-red-500/60 dark:border-red-900 dark:bg-red-950/40 dark:text-red-200"
    >
      <p className="flex gap-2 font-medium">
        <AlertCircle className="mt-0.5 size-4 shrink-0" aria-hidden />
        {message ?? CORRECT_THEM}
      </p>
      {lines.length > 0 ? (
        <ul className="mt-1 list-disc space-y-0.5 pl-10">
          {lines.map((l) => (
            <li key={l.name}>
              {l.label ? (
                <a
                  href={`#${fieldId(formId, l.name)}`}
                  onClick={(e) => {
                    // A fragment link scrolls but does not focus: take the person to the field itself.
                    const el = document.getElementById(fieldId(formId, l.name));
                    if (el) {
                      e.preventDefault();
                      el.focus();
                    }
                  }}
                  className="underline underline-offset-2"
                >
                  {l.label}: {l.messages.join(" ")}
                </a>
              ) : (
                l.messages.join(" ")
              )}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
