// Personal API tokens for /api/v1 (README: Security): `vcp_<32 random bytes, base64url>`. Only the sha256 of
// the whole token and a short display prefix are stored; the token itself is shown once, at creation.
// No next/* imports: lib/domain (create-api-token) uses this module too.
import { createHash, randomBytes } from "node:crypto";
import { recordAudit } from "@/lib/domain/audit";
import { AppError } from "@/lib/errors";
import type { PrismaClient } from "@/lib/generated/prisma/client";

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

const NEW_TOKEN_HINT = "Create a new one on the Settings → API tokens page.";
export const revokedToken = (revokedAt: Date) => new AppError("UNAUTHENTICATED", `This API token was revoked on ${revokedAt.toISOString()}. ${NEW_TOKEN_HINT}`);
export const expiredToken = (expiresAt: Date) => new AppError("UNAUTHENTICATED", `This API token expired on ${expiresAt.toISOString()}. ${NEW_TOKEN_HINT}`);

/** A request with a revoked token is audited (token.use-revoked) at most this often per token. */
export const REVOKED_USE_AUDIT_INTERVAL_MS = 60_000;

/** Where a request came from, for the audit of a revoked token's use. */
export type ApiTokenRequestMeta = { ip?: string; requestId?: string };

export type AuthenticatedApiToken = { userId: string; tokenId: string; scopes: string[] };

/**
 * The owner and scopes of a live token. Unknown and malformed tokens are one UNAUTHENTICATED error;
 * revoked and expired ones are UNAUTHENTICATED too, with a message saying which (only someone holding
 * the secret learns it). Using a revoked token is audited as `token.use-revoked`, at most once a minute
 * per token (a guarded update claims the slot, so retries and replicas cannot flood the audit log).
 * Records lastUsedAt at most once a minute (a guarded update, so concurrent requests write once).
 */
export async function authenticateApiToken(db: PrismaClient, token: string, meta: ApiTokenRequestMeta = {}, now: Date = new Date()): Promise<AuthenticatedApiToken> {
  if (!isWellFormedApiToken(token)) throw invalidToken();
  const row = await db.apiToken.findUnique({
    where: { tokenHash: hashApiToken(token) },
    select: { id: true, userId: true, scopes: true, expiresAt: true, revokedAt: true, lastUsedAt: true },
  });
  if (!row) throw invalidToken();
  if (row.revokedAt) {
    await auditRevokedUse(db, row.id, meta, now);
    throw revokedToken(row.revokedAt);
  }
  if (row.expiresAt && row.expiresAt.getTime() <= now.getTime()) throw expiredToken(row.expiresAt);
  const cutoff = new Date(now.getTime() - LAST_USED_RESOLUTION_MS);
  if (!row.lastUsedAt || row.lastUsedAt < cutoff) {
    await db.apiToken.updateMany({ where: { id: row.id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: cutoff } }] }, data: { lastUsedAt: now } });
  }
  return { userId: row.userId, tokenId: row.id, scopes: row.scopes };
}

async function auditRevokedUse(db: PrismaClient, tokenId: string, meta: ApiTokenRequestMeta, now: Date): Promise<void> {
  const cutoff = new Date(now.getTime() - REVOKED_USE_AUDIT_INTERVAL_MS);
  await db.$transaction(async (tx) => {
    const claimed = await tx.apiToken.updateMany({
      where: { id: tokenId, revokedAt: { not: null }, OR: [{ revokedUseAuditedAt: null }, { revokedUseAuditedAt: { lt: cutoff } }] },
      data: { revokedUseAuditedAt: now },
    });
    if (claimed.count !== 1) return;
    const t = await tx.apiToken.findUniqueOrThrow({ where: { id: tokenId }, select: { name: true, prefix: true, revokedAt: true, user: { select: { id: true, email: true } } } });
    // The audit names the token's owner: whoever sent it holds their credential.
    await recordAudit(tx, { actor: { id: t.user.id, email: t.user.email, isAdmin: false, memberships: [] }, ip: meta.ip, requestId: meta.requestId }, {
      action: "token.use-revoked",
      targetType: "token",
      targetId: tokenId,
      details: { userId: t.user.id, userEmail: t.user.email, name: t.name, prefix: t.prefix, revokedAt: t.revokedAt?.toISOString() ?? null, recordedAtMostEverySeconds: REVOKED_USE_AUDIT_INTERVAL_MS / 1000 },
    });
  });
}
