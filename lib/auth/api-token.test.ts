import { createHash } from "node:crypto";
import { describe, expect, it, vi } from "vitest";
import { API_TOKEN_PREFIX, authenticateApiToken, generateApiToken, hashApiToken, isWellFormedApiToken, parseBearer, REVOKED_USE_AUDIT_INTERVAL_MS } from "@/lib/auth/api-token";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/errors";

describe("generateApiToken", () => {
  it("is vcp_ + 32 random bytes in base64url, with its sha256 and a short display prefix", () => {
    const t = generateApiToken();
    expect(t.token).toMatch(/^vcp_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(t.token.slice(API_TOKEN_PREFIX.length), "base64url")).toHaveLength(32);
    expect(t.hash).toBe(createHash("sha256").update(t.token).digest("hex"));
    expect(t.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(t.prefix).toBe(t.token.slice(0, 12));
    expect(t.token.startsWith(t.prefix)).toBe(true);
  });

  it("never repeats", () => {
    const seen = new Set(Array.from({ length: 200 }, () => generateApiToken().token));
    expect(seen.size).toBe(200);
  });
});

describe("hashApiToken", () => {
  it("is the sha256 hex of the whole token, stable across calls", () => {
    expect(hashApiToken("vcp_abc")).toBe(createHash("sha256").update("vcp_abc").digest("hex"));
    expect(hashApiToken("vcp_abc")).not.toBe(hashApiToken("vcp_abd"));
  });
});

describe("parseBearer", () => {
  const token = generateApiToken().token;

  it("reads `Bearer vcp_…` (scheme case-insensitive, spaces tolerated)", () => {
    expect(parseBearer(`Bearer ${token}`)).toBe(token);
    expect(parseBearer(`bearer ${token}`)).toBe(token);
    expect(parseBearer(`  BEARER   ${token}  `)).toBe(token);
  });

  it("refuses other schemes, empty values and tokens not shaped like ours", () => {
    for (const h of [null, undefined, "", "Bearer", "Bearer ", token, `Basic ${token}`, `Bearer ${token} extra`, "Bearer vcp_short", `Bearer ghp_${token.slice(4)}`, `Bearer ${token}x`, `Bearer ${token.slice(0, -1)}+`])
      expect(parseBearer(h), String(h)).toBeNull();
  });

  it("isWellFormedApiToken matches exactly the generated shape", () => {
    expect(isWellFormedApiToken(token)).toBe(true);
    expect(isWellFormedApiToken(token.toUpperCase().replace("VCP_", "vcp_"))).toBe(true);
    expect(isWellFormedApiToken(`${token}=`)).toBe(false);
  });
});

describe("authenticateApiToken", () => {
  const now = new Date("2026-11-25T12:00:00Z");
  const { token, hash } = generateApiToken();

  type Row = { expiresAt?: Date | null; revokedAt?: Date | null; lastUsedAt?: Date | null; scopes?: string[] };

  function fakeDb(row: Row | null, { revokedSlotFree = true }: { revokedSlotFree?: boolean } = {}) {
    const full = row && { id: "tok1", userId: "u1", scopes: ["read"], expiresAt: null, revokedAt: null, lastUsedAt: null, ...row };
    const findUnique = vi.fn(async (args: { where: { tokenHash: string } }) => (full && args.where.tokenHash === hash ? full : null));
    const updateMany = vi.fn(async (args: { data: Record<string, unknown> }) => ({ count: "revokedUseAuditedAt" in args.data ? (revokedSlotFree ? 1 : 0) : 1 }));
    const findUniqueOrThrow = vi.fn(async () => ({ name: "ci", prefix: "vcp_abcdefgh", revokedAt: full?.revokedAt ?? null, user: { id: "u1", email: "dev@example.com" } }));
    const auditCreate = vi.fn(async () => ({}));
    const tx = { apiToken: { updateMany, findUniqueOrThrow }, auditEvent: { create: auditCreate } };
    const $transaction = vi.fn(async (fn: (t: typeof tx) => Promise<unknown>) => fn(tx));
    const db = { apiToken: { findUnique, updateMany }, $transaction } as unknown as PrismaClient;
    return { db, findUnique, updateMany, auditCreate, $transaction };
  }

  const rejects = async (p: Promise<unknown>, message: string | RegExp = "Invalid or expired API token") => {
    const e = await p.catch((err: unknown) => err);
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).code).toBe("UNAUTHENTICATED");
    if (typeof message === "string") expect((e as AppError).message).toBe(message);
    else expect((e as AppError).message).toMatch(message);
  };

  it("looks the token up by its hash and returns the owner and the token's scopes", async () => {
    const f = fakeDb({ scopes: ["read", "write"] });
    await expect(authenticateApiToken(f.db, token, {}, now)).resolves.toEqual({ userId: "u1", tokenId: "tok1", scopes: ["read", "write"] });
    expect(f.findUnique.mock.calls[0]![0].where).toEqual({ tokenHash: hash });
  });

  it("refuses unknown and malformed tokens alike, without looking malformed ones up", async () => {
    await rejects(authenticateApiToken(fakeDb(null).db, token, {}, now));
    const f = fakeDb({});
    await rejects(authenticateApiToken(f.db, "vcp_nope", {}, now));
    expect(f.findUnique).not.toHaveBeenCalled();
  });

  it("refuses revoked and expired tokens with 401 messages that say which", async () => {
    const revokedAt = new Date(now.getTime() - 1);
    await rejects(authenticateApiToken(fakeDb({ revokedAt }).db, token, {}, now), `This API token was revoked on ${revokedAt.toISOString()}. Create a new one on the Settings → API tokens page.`);
    // Revoked wins over expired.
    await rejects(authenticateApiToken(fakeDb({ revokedAt, expiresAt: revokedAt }).db, token, {}, now), /was revoked/);
    await rejects(authenticateApiToken(fakeDb({ expiresAt: now }).db, token, {}, now), `This API token expired on ${now.toISOString()}. Create a new one on the Settings → API tokens page.`);
  });

  it("audits a revoked token's use (token.use-revoked) only when it claims the once-a-minute slot", async () => {
    const revokedAt = new Date(now.getTime() - 3_600_000);
    const first = fakeDb({ revokedAt });
    await rejects(authenticateApiToken(first.db, token, { ip: "203.0.113.5", requestId: "r1" }, now), /was revoked/);
    expect(first.updateMany).toHaveBeenCalledWith({
      where: { id: "tok1", revokedAt: { not: null }, OR: [{ revokedUseAuditedAt: null }, { revokedUseAuditedAt: { lt: new Date(now.getTime() - REVOKED_USE_AUDIT_INTERVAL_MS) } }] },
      data: { revokedUseAuditedAt: now },
    });
    expect(first.auditCreate).toHaveBeenCalledTimes(1);
    expect(first.auditCreate.mock.calls[0]).toEqual([
      {
        data: expect.objectContaining({
          action: "token.use-revoked",
          targetType: "token",
          targetId: "tok1",
          actorId: "u1",
          actorEmail: "dev@example.com",
          ip: "203.0.113.5",
          requestId: "r1",
          details: expect.objectContaining({ prefix: "vcp_abcdefgh", name: "ci", revokedAt: revokedAt.toISOString() }),
        }),
      },
    ]);

    // Another replica or a retry within the minute lost the race: no audit event, still 401.
    const again = fakeDb({ revokedAt }, { revokedSlotFree: false });
    await rejects(authenticateApiToken(again.db, token, {}, now), /was revoked/);
    expect(again.auditCreate).not.toHaveBeenCalled();

    // Expired and unknown tokens are not audited.
    const expired = fakeDb({ expiresAt: now });
    await rejects(authenticateApiToken(expired.db, token, {}, now), /expired/);
    expect(expired.$transaction).not.toHaveBeenCalled();
  });

  it("writes lastUsedAt at most once a minute", async () => {
    const fresh = fakeDb({ lastUsedAt: new Date(now.getTime() - 30_000) });
    await authenticateApiToken(fresh.db, token, {}, now);
    expect(fresh.updateMany).not.toHaveBeenCalled();

    const stale = fakeDb({ lastUsedAt: new Date(now.getTime() - 61_000) });
    await authenticateApiToken(stale.db, token, {}, now);
    expect(stale.updateMany).toHaveBeenCalledTimes(1);
    expect(stale.updateMany).toHaveBeenCalledWith({
      where: { id: "tok1", OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: new Date(now.getTime() - 60_000) } }] },
      data: { lastUsedAt: now },
    });

    const never = fakeDb({ lastUsedAt: null });
    await authenticateApiToken(never.db, token, {}, now);
    expect(never.updateMany).toHaveBeenCalledTimes(1);
  });
});
