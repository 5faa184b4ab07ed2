import "server-only";
import { randomUUID } from "node:crypto";
import { authenticateApiToken, invalidToken, parseBearer } from "@/lib/auth/api-token";
import { type ApiTokenScope, requireScope } from "@/lib/auth/api-token-scopes";
import type { Session } from "next-auth";
import { auth } from "@/lib/auth/config";
import { type CurrentUser, loadCurrentUser } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import type { DomainContext } from "@/lib/domain/context";
import { AppError, isAppError } from "@/lib/errors";
import { clientIp, rateLimitKeyFor } from "@/lib/server/client-ip";
import { enforceRateLimit } from "@/lib/server/request-rate-limit";

/** Failed token attempts allowed per client address: a burst, then this many a minute. */
export const FAILED_TOKEN_BURST = 10;
export const FAILED_TOKEN_PER_MINUTE = 10;

/**
 * The DomainContext of an /api/v1 request. With an `Authorization` header: a personal API token
 * (`Bearer vcp_…`), read from the Request itself, so it works wherever the handler is called; the token
 * must hold `requiredScope` (403 naming it otherwise). Without one: the browser session (Auth.js cookie),
 * where state-changing methods must come from the portal's own origin (docs/api.md "Authentication"); a
 * session has every scope of its person, so the scope is not checked for it.
 * Routes do not call this themselves: `v1Route` (lib/server/api-route.ts) does, with the scope the route declares.
 */
export async function apiContext(req: Request, requiredScope: ApiTokenScope): Promise<DomainContext> {
  const requestId = req.headers.get("x-request-id") ?? randomUUID();
  const ip = clientIp(req.headers);
  const authorization = req.headers.get("authorization");
  const user =
    authorization !== null
      ? await userFromToken(authorization, { ip, requestId, requiredScope, route: { method: req.method, path: new URL(req.url).pathname } })
      : await userFromSession(req);
  return {
    db: db(),
    actor: { id: user.id, email: user.email, isAdmin: user.isAdmin, memberships: user.memberships.map((m) => ({ teamId: m.teamId, role: m.role })) },
    requestId,
    ip,
  };
}

type TokenRequest = { ip: string | undefined; requestId: string; requiredScope: ApiTokenScope; route: { method: string; path: string } };

async function userFromToken(authorization: string, { ip, requestId, requiredScope, route }: TokenRequest): Promise<CurrentUser> {
  let scopes: string[];
  let user: CurrentUser | null;
  try {
    const token = parseBearer(authorization);
    if (!token) throw invalidToken();
    const auth = await authenticateApiToken(db(), token, { ip, requestId });
    scopes = auth.scopes;
    user = await loadCurrentUser(db(), auth.userId);
    if (!user) throw invalidToken();
  } catch (e) {
    // Every failure costs the address a token of its bucket; an empty bucket answers 429 instead of 401.
    if (isAppError(e) && e.code === "UNAUTHENTICATED") enforceRateLimit("api-token-failure", rateLimitKeyFor(ip), FAILED_TOKEN_PER_MINUTE, FAILED_TOKEN_BURST);
    throw e;
  }
  // A valid token without the route's scope is a 403, not a failed attempt: it costs no rate-limit token.
  requireScope(scopes, requiredScope, route);
  return user;
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

async function userFromSession(req: Request): Promise<CurrentUser> {
  if (!SAFE_METHODS.has(req.method.toUpperCase()) && !sameOrigin(req))
    throw new AppError("FORBIDDEN", "Cross-site requests are refused. Use an API token (Authorization: Bearer …) from scripts.");
  const userId = (await sessionOf(req))?.user?.id;
  const user = userId ? await loadCurrentUser(db(), userId) : null;
  if (!user) throw new AppError("UNAUTHENTICATED", "Please sign in, or send an API token (Authorization: Bearer …).");
  return user;
}

/**
 * The Auth.js session of this Request's cookie, through the configuration's callbacks (the absolute
 * lifetime is checked there). Read from the Request rather than next/headers, so the handler works wherever
 * it is called, and the integration tests drive it with a real sign-in cookie. Auth.js reads a request this
 * way when given `{ req, res }`; `res` only collects the refreshed cookie, which a JSON answer does not need.
 */
function sessionOf(req: Request): Promise<Session | null> {
  const readSession = auth as unknown as (ctx: { req: Request; res: { headers: Headers } }) => Promise<Session | null>;
  return readSession({ req, res: { headers: new Headers() } });
}

/** Origin (or, without it, Sec-Fetch-Site) must match the host the request was sent to. */
function sameOrigin(req: Request): boolean {
  const origin = req.headers.get("origin");
  if (!origin) return req.headers.get("sec-fetch-site") !== "cross-site";
  const host = req.headers.get("x-forwarded-host") ?? req.headers.get("host") ?? new URL(req.url).host;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}
