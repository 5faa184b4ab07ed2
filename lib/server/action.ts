import "server-only";
import { randomUUID } from "node:crypto";
import { unstable_rethrow } from "next/navigation";
import { type FieldErrors, isAppError, type PublicError, toPublicError } from "@/lib/errors";
import { log } from "@/lib/log";

/** What every server action returns to `useActionState`: a message for aria-live and per-field errors. */
export type ActionState<T = undefined> = {
  ok: boolean;
  message?: string;
  /** Why it failed (UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, VALIDATION…), as an API's HTTP status would say. */
  code?: PublicError["code"];
  fieldErrors?: FieldErrors;
  data?: T;
  /** What a failed form sent, so it shows what the person typed again instead of resetting (see formAction). */
  values?: Record<string, string>;
  /** Bumps on every submission so clients can react to repeated identical results. */
  at?: number;
};

export const initialActionState: ActionState = { ok: false };

/**
 * Runs a server action body. Expected failures (AppError) reach the person as written; anything else is
 * logged with a request id and shown masked.
 */
export async function runAction<T>(fn: () => Promise<{ message: string; data?: T }>): Promise<ActionState<T>> {
  try {
    const { message, data } = await fn();
    return { ok: true, message, data, at: Date.now() };
  } catch (e) {
    // redirect(), notFound() and Next.js's own control flow travel as errors: let them through.
    unstable_rethrow(e);
    const requestId = randomUUID();
    if (!isAppError(e)) log.error({ err: e, requestId }, "server action failed");
    const pub = toPublicError(e, requestId);
    return { ok: false, code: pub.code, message: pub.message, fieldErrors: pub.fieldErrors, at: Date.now() };
  }
}

/** FormData → plain object (repeated keys become arrays), for zod. */
export function formToObject(form: FormData): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of form.entries()) {
    if (k.startsWith("$ACTION")) continue;
    const value = typeof v === "string" ? v : v.name;
    if (k in out) out[k] = ([] as unknown[]).concat(out[k], value);
    else out[k] = value;
  }
  return out;
}

/** The submitted fields as text (a repeated key keeps its last value, as a checkbox after its hidden "false"). */
export function submittedValues(fields: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, String(Array.isArray(v) ? v[v.length - 1] : v)]));
}
