import "server-only";
import { randomUUID } from "node:crypto";
import { isAppError, statusOf, toPublicError } from "@/lib/errors";
import { log } from "@/lib/log";

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
