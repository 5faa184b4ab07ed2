// Personal API tokens for /api/v1 (DESIGN.md §5): `vcp_<32 random bytes, base64url>`. Only the sha256 of
// the whole token and a short display prefix are stored; the token itself is shown once, at creation.
// No next/* imports: lib/domain (create-api-token) uses this module too.
import { createHash, randomBytes } from "node:crypto";
import type { DbTx } from "@/lib/db/client";
import { AppError } from "@/lib/errors";

export const API_TOKEN_PREFIX = "vcp_";
/** 32 bytes in base64url without padding. */
const TOKEN_RE = /^vcp_[A-Za-z0-9_-]{43}$/;
/** What lists and audit events show of a token: `vcp_` + its first 8 characters. */
export const DISPLAY_PREFIX_LENGTH = API_TOKEN_PREFIX.length + 8;
/** lastUsedAt is written at most this often per token. */
export const LAST_USED_RESOLUTION_MS = 60_000;

export const INVALID_TOKEN_MESSAGE = "Invalid or expired API token";

export type GeneratedApiToken = { token: string; hash: string; prefix: string };

export function generateApiToken(): GeneratedApiToken {
  const token = `${API_TOKEN_PREFIX}${randomBytes(32).toString("base64url")}`;
  return { token, hash: hashApiToken(token), prefix: token.slice(0, DISPLAY_PREFIX_LENGTH) };
}

/** sha256 hex of the whole token string (what ApiToken.tokenHash holds). */
export function hashApiToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

export function isWellFormedApiToken(token: string): boolean {
  return TOKEN_RE.test(token);
}

/**
 * The token of an `Authorization` header value: `Bearer vcp_…` (scheme case-insensitive, surrounding
 * spaces ignored). null for any other scheme, a missing token or one that is not shaped like ours.
 */
export function parseBearer(header: string | null | undefined): string | null {
  if (!header) return null;
  const m = /^\s*Bearer\s+(\S+)\s*$/i.exec(header);
  if (!m) return null;
  const token = m[1]!;
  return isWellFormedApiToken(token) ? token : null;
}

export const invalidToken = () => new AppError("UNAUTHENTICATED", INVALID_TOKEN_MESSAGE);

/**
 * The owner of a live token: unknown, revoked and expired tokens are all the same UNAUTHENTICATED error.
 * Records lastUsedAt at most once a minute (a guarded update, so concurrent requests write once).
 */
export async function authenticateApiToken(db: DbTx, token: string, now: Date = new Date()): Promise<{ userId: string; tokenId: string }> {
  if (!isWellFormedApiToken(token)) throw invalidToken();
  const row = await db.apiToken.findUnique({ where: { tokenHash: hashApiToken(token) }, select: { id: true, userId: true, expiresAt: true, revokedAt: true, lastUsedAt: true } });
  if (!row || row.revokedAt || (row.expiresAt && row.expiresAt.getTime() <= now.getTime())) throw invalidToken();
  const cutoff = new Date(now.getTime() - LAST_USED_RESOLUTION_MS);
  if (!row.lastUsedAt || row.lastUsedAt < cutoff) {
    await db.apiToken.updateMany({ where: { id: row.id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: cutoff } }] }, data: { lastUsedAt: now } });
  }
  return { userId: row.userId, tokenId: row.id };
}
