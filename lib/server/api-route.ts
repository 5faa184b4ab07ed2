import "server-only";
import { randomUUID } from "node:crypto";
import type { z } from "zod";
import type { ApiErrorBody } from "@/lib/api/v1-errors";
import type { JsonSuccess, V1Operation } from "@/lib/api/v1-operations";
import type { DomainContext } from "@/lib/domain/context";
import { isAppError, statusOf, toPublicError } from "@/lib/errors";
import { log } from "@/lib/log";
import { apiContext } from "@/lib/server/api-context";

/** Wraps a route handler: AppErrors become JSON with their HTTP status, anything else a masked 500. */
export function apiRoute<A extends unknown[]>(handler: (req: Request, ...rest: A) => Promise<Response>) {
  return async (req: Request, ...rest: A): Promise<Response> => {
    const requestId = req.headers.get("x-request-id") ?? randomUUID();
    try {
      return await handler(req, ...rest);
    } catch (e) {
      if (!isAppError(e)) log.error({ err: e, requestId, path: new URL(req.url).pathname }, "route handler failed");
      const body: ApiErrorBody = { error: toPublicError(e, requestId) };
      return Response.json(body, { status: statusOf(e), headers: { "x-request-id": requestId } });
    }
  };
}

/**
 * An /api/v1 route handler for the operation declared in lib/api/v1-operations.ts: authenticates the request
 * (API token or session, lib/server/api-context.ts), refuses a token without the operation's scope with 403,
 * and maps errors like `apiRoute`. The handler gets the caller's DomainContext first. The declaration stays
 * readable on the export (`operation`, `requiredScope`), so tests walk every route file and compare it with
 * the OpenAPI document and the scope table.
 */
export function v1Route<A extends unknown[]>(operation: V1Operation, handler: (ctx: DomainContext, req: Request, ...rest: A) => Promise<Response>) {
  const route = apiRoute(async (req: Request, ...rest: A) => handler(await apiContext(req, operation.scope), req, ...rest));
  return Object.assign(route, { operation, requiredScope: operation.scope });
}

/** The JSON success answer of an operation: its status, and a body the compiler holds to the declared schema. */
export function v1Json<S extends z.ZodType>(operation: { success: JsonSuccess<S> }, body: z.output<S>, headers: Record<string, string> = {}): Response {
  return Response.json(body, { status: operation.success.status, headers: { "Cache-Control": "no-store", ...headers } });
}
