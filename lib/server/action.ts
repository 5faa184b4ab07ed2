import "server-only";
import { randomUUID } from "node:crypto";
import { type FieldErrors, isAppError, toPublicError } from "@/lib/errors";
import { log } from "@/lib/log";

/** What every server action returns to `useActionState`: a message for aria-live and per-field errors. */
export type ActionState<T = undefined> = {
  ok: boolean;
  message?: string;
  fieldErrors?: FieldErrors;
  data?: T;
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
    // Next.js signals redirect()/notFound() by throwing; let them through.
    if (e instanceof Error && "digest" in e && typeof e.digest === "string" && e.digest.startsWith("NEXT_")) throw e;
    const requestId = randomUUID();
    if (!isAppError(e)) log.error({ err: e, requestId }, "server action failed");
    const pub = toPublicError(e, requestId);
    return { ok: false, message: pub.message, fieldErrors: pub.fieldErrors, at: Date.now() };
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
