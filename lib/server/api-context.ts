import "server-only";
import { randomUUID } from "node:crypto";
import { authenticateApiToken, invalidToken, parseBearer } from "@/lib/auth/api-token";
import { type CurrentUser, loadCurrentUser, requireUser } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import type { DomainContext } from "@/lib/domain/context";
import { AppError, isAppError } from "@/lib/errors";
import { enforceRateLimit } from "@/lib/server/request-rate-limit";

/** Failed token attempts allowed per client address: a burst, then this many a minute. */
export const FAILED_TOKEN_BURST = 10;
export const FAILED_TOKEN_PER_MINUTE = 10;

export function clientIp(headers: Headers): string | undefined {
  return headers.get("x-forwarded-for")?.split(",")[0]?.trim() || headers.get("x-real-ip") || undefined;
}

/**
 * The DomainContext of an /api/v1 request. With an `Authorization` header: a personal API token
 * (`Bearer vcp_…`), read from the Request itself, so it works wherever the handler is called. Without one:
 * the browser session (Auth.js cookie), where state-changing methods must come from the portal's own origin.
 */
export async function apiContext(req: Request): Promise<DomainContext> {
  const requestId = req.headers.get("x-request-id") ?? randomUUID();
  const ip = clientIp(req.headers);
  const authorization = req.headers.get("authorization");
  const user = authorization !== null ? await userFromToken(authorization, ip) : await userFromSession(req);
  return {
    db: db(),
    actor: { id: user.id, email: user.email, isAdmin: user.isAdmin, memberships: user.memberships.map((m) => ({ teamId: m.teamId, role: m.role })) },
    requestId,
    ip,
  };
}

async function userFromToken(authorization: string, ip: string | undefined): Promise<CurrentUser> {
  try {
    const token = parseBearer(authorization);
    if (!token) throw invalidToken();
    const { userId } = await authenticateApiToken(db(), token);
    const user = await loadCurrentUser(db(), userId);
    if (!user) throw invalidToken();
    return user;
  } catch (e) {
    // Every failure costs the address a token of its bucket; an empty bucket answers 429 instead of 401.
    if (isAppError(e) && e.code === "UNAUTHENTICATED") enforceRateLimit("api-token-failure", ip ?? "unknown", FAILED_TOKEN_PER_MINUTE, FAILED_TOKEN_BURST);
    throw e;
  }
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

async function userFromSession(req: Request): Promise<CurrentUser> {
  if (!SAFE_METHODS.has(req.method.toUpperCase()) && !sameOrigin(req))
    throw new AppError("FORBIDDEN", "Cross-site requests are refused. Use an API token (Authorization: Bearer …) from scripts.");
  return requireUser();
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
