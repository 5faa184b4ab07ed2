import type { ZodError } from "zod";

// Expected failures a person can cause or fix: shown as written. Everything else is masked.
// Browser-safe (Web Crypto, no node: imports): lib/lifecycle raises these and the UI imports lib/lifecycle.
export type AppErrorCode =
  | "UNAUTHENTICATED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "VALIDATION"
  | "CONFLICT"
  | "QUOTA_EXCEEDED"
  | "PRECONDITION_FAILED"
  | "RATE_LIMITED"
  | "UNAVAILABLE";

const httpStatus: Record<AppErrorCode, number> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  VALIDATION: 400,
  CONFLICT: 409,
  QUOTA_EXCEEDED: 422,
  PRECONDITION_FAILED: 412,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
};

export type FieldErrors = Record<string, string[]>;

export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    message: string,
    readonly fieldErrors?: FieldErrors,
  ) {
    super(message);
    this.name = "AppError";
  }

  get status(): number {
    return httpStatus[this.code];
  }
}

export const notFound = (what = "That item") => new AppError("NOT_FOUND", `${what} was not found.`);
export const forbidden = (message = "You are not allowed to do that.") => new AppError("FORBIDDEN", message);

export function validationError(error: ZodError, message = "Please correct the highlighted fields."): AppError {
  const fieldErrors: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.join(".") || "_form";
    (fieldErrors[key] ??= []).push(issue.message);
  }
  return new AppError("VALIDATION", message, fieldErrors);
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}

export type PublicError = { code: AppErrorCode | "INTERNAL"; message: string; fieldErrors?: FieldErrors; requestId: string };

/** What a person may see of an error. Unexpected errors are logged by the caller with the same request id. */
export function toPublicError(e: unknown, requestId: string = globalThis.crypto.randomUUID()): PublicError {
  if (isAppError(e)) return { code: e.code, message: e.message, fieldErrors: e.fieldErrors, requestId };
  return { code: "INTERNAL", message: `Something went wrong on our side. Reference: ${requestId}`, requestId };
}

export function statusOf(e: unknown): number {
  return isAppError(e) ? e.status : 500;
}
