import type { ZodError } from "zod";

// Pure helpers for forms that report every field's problem at once: client checks and the server's answer
// share one shape (field name → messages), and the error summary lists them in the order of the form.

export type FormErrors = Record<string, string[] | undefined>;

/** A form field as the summary names it. */
export type SummaryField = { name: string; label: string };

export const hasErrors = (errors: FormErrors | undefined): errors is FormErrors => !!errors && Object.values(errors).some((m) => !!m && m.length > 0);

/** The id of a field's control, so the summary can link to it (field names may hold dots: `parameters.size`). */
export function fieldId(formId: string, name: string): string {
  return `${formId}-${name.replace(/[^A-Za-z0-9_-]/g, "-")}`;
}

/** zod issues → field errors (path joined with dots, as the server names them), after an optional prefix. */
export function zodFormErrors(error: ZodError, prefix = ""): FormErrors {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = prefix + (issue.path.map(String).join(".") || "_form");
    (out[key] ??= []).push(issue.message);
  }
  return out;
}

/** The summary's lines: the form's fields in their order, then anything else the server named (by its name). */
export function summaryLines(errors: FormErrors, fields: readonly SummaryField[]): { name: string; label: string | null; messages: string[] }[] {
  const known = new Set(fields.map((f) => f.name));
  const ordered = [...fields.map((f) => ({ name: f.name, label: f.label as string | null })), ...Object.keys(errors).filter((k) => !known.has(k)).map((name) => ({ name, label: null }))];
  return ordered.flatMap((f) => {
    const messages = errors[f.name];
    return messages && messages.length > 0 ? [{ ...f, messages }] : [];
  });
}
