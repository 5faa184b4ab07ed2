import { createHash } from "node:crypto";
import { describe, expect, it, vi } from "vitest";
import { API_TOKEN_PREFIX, authenticateApiToken, generateApiToken, hashApiToken, isWellFormedApiToken, parseBearer } from "@/lib/auth/api-token";
import type { DbTx } from "@/lib/db/client";
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

  function fakeDb(row: { expiresAt?: Date | null; revokedAt?: Date | null; lastUsedAt?: Date | null } | null) {
    const findUnique = vi.fn(async (args: { where: { tokenHash: string } }) =>
      row && args.where.tokenHash === hash ? { id: "tok1", userId: "u1", expiresAt: null, revokedAt: null, lastUsedAt: null, ...row } : null,
    );
    const updateMany = vi.fn(async () => ({ count: 1 }));
    return { db: { apiToken: { findUnique, updateMany } } as unknown as DbTx, findUnique, updateMany };
  }

  const rejects = async (p: Promise<unknown>) => {
    const e = await p.catch((err: unknown) => err);
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).code).toBe("UNAUTHENTICATED");
    expect((e as AppError).message).toBe("Invalid or expired API token");
  };

  it("looks the token up by its hash and returns the owner", async () => {
    const f = fakeDb({});
    await expect(authenticateApiToken(f.db, token, now)).resolves.toEqual({ userId: "u1", tokenId: "tok1" });
    expect(f.findUnique.mock.calls[0]![0].where).toEqual({ tokenHash: hash });
  });

  it("refuses unknown, revoked, expired and malformed tokens alike", async () => {
    await rejects(authenticateApiToken(fakeDb(null).db, token, now));
    await rejects(authenticateApiToken(fakeDb({ revokedAt: new Date(now.getTime() - 1) }).db, token, now));
    await rejects(authenticateApiToken(fakeDb({ expiresAt: now }).db, token, now));
    const f = fakeDb({});
    await rejects(authenticateApiToken(f.db, "vcp_nope", now));
    expect(f.findUnique).not.toHaveBeenCalled();
  });

  it("writes lastUsedAt at most once a minute", async () => {
    const fresh = fakeDb({ lastUsedAt: new Date(now.getTime() - 30_000) });
    await authenticateApiToken(fresh.db, token, now);
    expect(fresh.updateMany).not.toHaveBeenCalled();

    const stale = fakeDb({ lastUsedAt: new Date(now.getTime() - 61_000) });
    await authenticateApiToken(stale.db, token, now);
    expect(stale.updateMany).toHaveBeenCalledTimes(1);
    expect(stale.updateMany).toHaveBeenCalledWith({
      where: { id: "tok1", OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: new Date(now.getTime() - 60_000) } }] },
      data: { lastUsedAt: now },
    });

    const never = fakeDb({ lastUsedAt: null });
    await authenticateApiToken(never.db, token, now);
    expect(never.updateMany).toHaveBeenCalledTimes(1);
  });
});
