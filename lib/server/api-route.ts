import "server-only";
import { randomUUID } from "node:crypto";
import type { ApiTokenScope } from "@/lib/auth/api-token-scopes";
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
      return Response.json({ error: toPublicError(e, requestId) }, { status: statusOf(e), headers: { "x-request-id": requestId } });
    }
  };
}

/** What an /api/v1 route declares where it is defined. */
export type V1RouteOptions = {
  /** The API token scope the route needs (lib/auth/api-token-scopes.ts): `read` for GETs, `write` for changes and kubeconfigs. */
  scope: ApiTokenScope;
};

/**
 * An /api/v1 route handler: authenticates the request (API token or session, lib/server/api-context.ts),
 * refuses a token without the declared scope with 403, and maps errors like `apiRoute`. The handler gets
 * the caller's DomainContext first. The declared scope stays readable on the export (`requiredScope`), so a
 * test walks every route and fails on one that changes something with a read scope.
 */
export function v1Route<A extends unknown[]>(options: V1RouteOptions, handler: (ctx: DomainContext, req: Request, ...rest: A) => Promise<Response>) {
  const route = apiRoute(async (req: Request, ...rest: A) => handler(await apiContext(req, options.scope), req, ...rest));
  return Object.assign(route, { requiredScope: options.scope });
}
