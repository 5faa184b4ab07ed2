// The error body every /api/v1 answer other than a success has (docs/api.md "Errors"), as a zod schema so
// the OpenAPI document (lib/api/openapi.ts) and the tests read the same shape `apiRoute` writes.
import { z } from "zod";
import type { PublicError } from "@/lib/errors";

type ErrorCode = PublicError["code"];

/** Each public error code, its HTTP status and when it happens; typed by PublicError, so a new code cannot be forgotten here. */
export const ERROR_CODES: Record<ErrorCode, { status: number; when: string }> = {
  VALIDATION: { status: 400, when: "the body is not valid; fieldErrors maps body fields to messages" },
  UNAUTHENTICATED: { status: 401, when: "no session, or a missing, invalid, expired or revoked API token (the message says which)" },
  FORBIDDEN: { status: 403, when: "not allowed: an API token without the operation's scope, a cross-site request with the session cookie, or a person who may not do this" },
  NOT_FOUND: { status: 404, when: "no such cluster, or one of a team the caller is not in (indistinguishable on purpose)" },
  CONFLICT: { status: 409, when: "name already used in the team, cluster changed concurrently, or kubeconfig not available yet" },
  PRECONDITION_FAILED: { status: 412, when: "the operation is not possible in the cluster's phase" },
  QUOTA_EXCEEDED: { status: 422, when: "the team's quota would be exceeded" },
  RATE_LIMITED: { status: 429, when: "too many failed API token attempts from this address, or too many kubeconfig downloads" },
  INTERNAL: { status: 500, when: "unexpected; the message carries the requestId to quote" },
  UNAVAILABLE: { status: 503, when: "the virtual cluster (or the host) is not answering; try again shortly" },
};

export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 412 | 422 | 429 | 500 | 503;

/** The codes one status answers with (only 409 and 403 have several causes, but one code each). */
export function codesOfStatus(status: ErrorStatus): ErrorCode[] {
  return (Object.keys(ERROR_CODES) as ErrorCode[]).filter((code) => ERROR_CODES[code].status === status);
}

export const ZApiError = z
  .object({
    error: z.object({
      code: z.enum(Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]]).meta({ description: "Stable, machine-readable; the HTTP status follows from it." }),
      message: z.string().meta({ description: "Readable by a person; says what to do where possible." }),
      fieldErrors: z.record(z.string(), z.array(z.string())).optional().meta({ description: "VALIDATION only: body field (e.g. `name`, `parameters.size`, `_form`) → messages." }),
      requestId: z.string().meta({ description: "Quote it when asking for help; the server log has the same id." }),
    }),
  })
  .meta({ description: "Every error answer of /api/v1." });

export type ApiErrorBody = z.output<typeof ZApiError>;
