// Integration: personal API token use cases (create, list, revoke) and their authorization, against a real
// PostgreSQL (seeded people: admin, lead.payments, dev.payments, dev.search).
import { beforeAll, describe, expect, it } from "vitest";
import { authenticateApiToken, hashApiToken } from "@/lib/auth/api-token";
import { type DomainContext, SYSTEM_ACTOR } from "@/lib/domain/context";
import { createApiToken } from "@/lib/domain/create-api-token";
import { decodeCursor } from "@/lib/domain/keyset-cursor";
import { listAllApiTokens } from "@/lib/domain/list-all-api-tokens";
import { listMyApiTokens } from "@/lib/domain/list-my-api-tokens";
import { revokeApiToken } from "@/lib/domain/revoke-api-token";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { actorContext, expectAppError } from "@/scripts/testenv/domain-actors";
import { useTestDatabase } from "@/scripts/testenv/per-file";

const testDb = useTestDatabase({ seeded: true });
let prisma: PrismaClient;
let admin: DomainContext;
let dev: DomainContext;
let other: DomainContext;
let lead: DomainContext;

beforeAll(async () => {
  prisma = testDb.prisma();
  admin = await actorContext(prisma, "admin@example.com", { ip: "192.0.2.1" });
  dev = await actorContext(prisma, "dev.payments@example.com", { ip: "192.0.2.2" });
  other = await actorContext(prisma, "dev.search@example.com");
  lead = await actorContext(prisma, "lead.payments@example.com");
});

describe("createApiToken", () => {
  it("a person creates a token for themselves: read by default, hash and prefix stored, audited", async () => {
    const t = await createApiToken(dev, { name: " laptop " });
    expect(t).toMatchObject({ name: "laptop", userEmail: "dev.payments@example.com", scopes: ["read"] });
    expect(Math.round((t.expiresAt.getTime() - Date.now()) / 86_400_000)).toBe(90);
    const row = await prisma.apiToken.findUniqueOrThrow({ where: { id: t.id } });
    expect(row).toMatchObject({ userId: dev.actor.id, tokenHash: hashApiToken(t.token), prefix: t.token.slice(0, 12), scopes: ["read"], revokedAt: null });
    const audit = await prisma.auditEvent.findFirstOrThrow({ where: { action: "token.create", targetId: t.id } });
    expect(audit).toMatchObject({ actorId: dev.actor.id, actorEmail: "dev.payments@example.com", targetType: "token", ip: "192.0.2.2" });
    expect(audit.details).toMatchObject({ userEmail: "dev.payments@example.com", name: "laptop", scopes: ["read"], prefix: row.prefix });
    expect(JSON.stringify(audit.details)).not.toContain(t.token.slice(12));
  });

  it("scopes: read,write as a string or an array; write alone brings read", async () => {
    expect((await createApiToken(dev, { name: "ci", scopes: "read,write" })).scopes).toEqual(["read", "write"]);
    expect((await createApiToken(dev, { name: "ci", scopes: ["write"] })).scopes).toEqual(["read", "write"]);
    const stored = await prisma.apiToken.findMany({ where: { userId: dev.actor.id, name: "ci" }, select: { scopes: true } });
    expect(stored.map((s) => s.scopes)).toEqual([["read", "write"], ["read", "write"]]);
  });

  it("refuses another person's token (admins too) before looking anyone up, and creates nothing", async () => {
    const before = await prisma.apiToken.count();
    await expectAppError(createApiToken(dev, { name: "x", email: "dev.search@example.com" }), "FORBIDDEN", { message: "You can create API tokens only for yourself." });
    await expectAppError(createApiToken(admin, { name: "x", email: "dev.payments@example.com" }), "FORBIDDEN");
    // An unknown address gets the same answer as a known one: no user enumeration.
    await expectAppError(createApiToken(dev, { name: "x", email: "nobody@example.com" }), "FORBIDDEN", { message: "You can create API tokens only for yourself." });
    expect(await prisma.apiToken.count()).toBe(before);
    // Naming oneself (any case) is fine.
    expect((await createApiToken(dev, { name: "self", email: "DEV.Payments@example.com" })).userEmail).toBe("dev.payments@example.com");
  });

  it("the system actor (npm run token:create) issues for anyone named by e-mail, and needs one", async () => {
    const system: DomainContext = { db: prisma, actor: { ...SYSTEM_ACTOR, memberships: [] } };
    const t = await createApiToken(system, { name: "ops", email: "dev.search@example.com", scopes: "write" });
    expect(t).toMatchObject({ userEmail: "dev.search@example.com", scopes: ["read", "write"] });
    expect((await prisma.auditEvent.findFirstOrThrow({ where: { action: "token.create", targetId: t.id } })).actorEmail).toBe("system");
    await expectAppError(createApiToken(system, { name: "ops" }), "VALIDATION", { fieldErrors: { email: ["Enter the e-mail address of an existing user"] } });
    await expectAppError(createApiToken(system, { name: "ops", email: "nobody@example.com" }), "NOT_FOUND");
  });

  it("validates: name required, lifetime within API_TOKEN_MAX_DAYS (clear message), known scopes only", async () => {
    await expectAppError(createApiToken(dev, { name: "  " }), "VALIDATION", { fieldErrors: { name: ["Give the token a name"] } });
    await expectAppError(createApiToken(dev, {} as never), "VALIDATION", { fieldErrors: { name: ["Give the token a name"] } });
    await expectAppError(createApiToken(dev, { name: "x".repeat(65) }), "VALIDATION", { fieldErrors: { name: ["At most 64 characters"] } });
    await expectAppError(createApiToken(dev, { name: "x", expiresInDays: 91 }), "VALIDATION", {
      fieldErrors: { expiresInDays: ["At most 90 days: the portal's limit for API tokens (API_TOKEN_MAX_DAYS)"] },
    });
    await expectAppError(createApiToken(dev, { name: "x", expiresInDays: 10 }, { maxDays: 7 }), "VALIDATION", {
      fieldErrors: { expiresInDays: ["At most 7 days: the portal's limit for API tokens (API_TOKEN_MAX_DAYS)"] },
    });
    for (const expiresInDays of [0, -1, 1.5, "soon"])
      await expectAppError(createApiToken(dev, { name: "x", expiresInDays }), "VALIDATION", { fieldErrors: { expiresInDays: expect.any(Array) } });
    await expectAppError(createApiToken(dev, { name: "x", scopes: "read,admin" }), "VALIDATION", { fieldErrors: { "scopes.1": ['Unknown scope "admin": use read or write'] } });
    await expectAppError(createApiToken(dev, { name: "x", scopes: "" }), "VALIDATION", { fieldErrors: { scopes: ["Choose at least one scope: read or write"] } });
    // A lower maximum also lowers the default lifetime.
    const short = await createApiToken(dev, { name: "short" }, { maxDays: 7 });
    expect(Math.round((short.expiresAt.getTime() - Date.now()) / 86_400_000)).toBe(7);
  });

  it("the database refuses unknown or missing scopes even past the use case", async () => {
    const base = { userId: dev.actor.id, name: "raw", prefix: "vcp_rawrawra" };
    await expect(prisma.apiToken.create({ data: { ...base, tokenHash: "h1", scopes: ["admin"] } })).rejects.toThrow(/ApiToken_scopes_known: API token scopes must be a non-empty subset of/);
    await expect(prisma.apiToken.create({ data: { ...base, tokenHash: "h2", scopes: [] } })).rejects.toThrow(/ApiToken_scopes_known: API token scopes must be a non-empty subset of/);
    // The column default is the safer scope.
    const r = await prisma.apiToken.create({ data: { ...base, tokenHash: "h3" } });
    expect(r.scopes).toEqual(["read"]);
    await prisma.apiToken.delete({ where: { id: r.id } });
  });
});

describe("listMyApiTokens", () => {
  it("lists only the caller's tokens, newest first, and never the hash", async () => {
    const mine = await listMyApiTokens(dev);
    expect(mine.items.length).toBeGreaterThan(0);
    const owners = await prisma.apiToken.findMany({ where: { id: { in: mine.items.map((t) => t.id) } }, select: { userId: true } });
    expect(new Set(owners.map((o) => o.userId))).toEqual(new Set([dev.actor.id]));
    const times = mine.items.map((t) => t.createdAt.getTime());
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect(Object.keys(mine.items[0]!).sort()).toEqual(["createdAt", "expiresAt", "id", "lastUsedAt", "name", "prefix", "revokedAt", "scopes"]);

    const theirs = await listMyApiTokens(other);
    expect(theirs.items.map((t) => t.id)).not.toEqual(expect.arrayContaining([mine.items[0]!.id]));
    expect((await listMyApiTokens(lead)).items).toEqual([]);
  });
});

describe("revokeApiToken", () => {
  it("the owner revokes: revokedAt set, audited token.revoke, the token then fails authentication", async () => {
    const t = await createApiToken(dev, { name: "to-revoke", scopes: "read,write" });
    await expect(authenticateApiToken(prisma, t.token)).resolves.toMatchObject({ tokenId: t.id });
    const r = await revokeApiToken(dev, { tokenId: t.id });
    expect(r).toMatchObject({ id: t.id, name: "to-revoke", alreadyRevoked: false, ownerEmail: "dev.payments@example.com" });
    const row = await prisma.apiToken.findUniqueOrThrow({ where: { id: t.id } });
    expect(row.revokedAt).toEqual(r.revokedAt);
    const audit = await prisma.auditEvent.findFirstOrThrow({ where: { action: "token.revoke", targetId: t.id } });
    expect(audit).toMatchObject({ actorId: dev.actor.id, targetType: "token", ip: "192.0.2.2" });
    expect(audit.details).toMatchObject({ userEmail: "dev.payments@example.com", name: "to-revoke", prefix: t.prefix, byOwner: true });
    await expect(authenticateApiToken(prisma, t.token)).rejects.toMatchObject({ code: "UNAUTHENTICATED", message: expect.stringMatching(/was revoked/) });

    // Again: nothing changes, nothing more is recorded.
    const again = await revokeApiToken(dev, { tokenId: t.id });
    expect(again).toMatchObject({ alreadyRevoked: true, revokedAt: r.revokedAt });
    expect(await prisma.auditEvent.count({ where: { action: "token.revoke", targetId: t.id } })).toBe(1);
  });

  it("someone else's token is not found (404, like an unknown id), for a lead of the same team too; nothing changes", async () => {
    const t = await createApiToken(dev, { name: "private" });
    for (const ctx of [other, lead]) {
      await expectAppError(revokeApiToken(ctx, { tokenId: t.id }), "NOT_FOUND", { message: "API token was not found." });
    }
    await expectAppError(revokeApiToken(other, { tokenId: "no-such-token" }), "NOT_FOUND", { message: "API token was not found." });
    await expectAppError(revokeApiToken(other, { tokenId: "" }), "VALIDATION");
    expect((await prisma.apiToken.findUniqueOrThrow({ where: { id: t.id } })).revokedAt).toBeNull();
    expect(await prisma.auditEvent.count({ where: { action: "token.revoke", targetId: t.id } })).toBe(0);
  });

  it("an admin revokes anyone's token, audited as not by the owner", async () => {
    const t = await createApiToken(other, { name: "admin-revokes" });
    const r = await revokeApiToken(admin, { tokenId: t.id });
    expect(r).toMatchObject({ alreadyRevoked: false, ownerEmail: "dev.search@example.com" });
    const audit = await prisma.auditEvent.findFirstOrThrow({ where: { action: "token.revoke", targetId: t.id } });
    expect(audit).toMatchObject({ actorId: admin.actor.id, actorEmail: "admin@example.com" });
    expect(audit.details).toMatchObject({ userEmail: "dev.search@example.com", byOwner: false });
  });
});

describe("listAllApiTokens", () => {
  it("is for admins only", async () => {
    for (const ctx of [dev, lead, other]) await expectAppError(listAllApiTokens(ctx, {}), "FORBIDDEN");
  });

  it("pages every token newest first with owners, filters by owner and status, never returns hashes", async () => {
    const all = await prisma.apiToken.findMany({ orderBy: [{ createdAt: "desc" }, { id: "desc" }], select: { id: true } });
    expect(all.length).toBeGreaterThan(4);

    const seen: string[] = [];
    let after: string | undefined;
    let pages = 0;
    for (;;) {
      const page = await listAllApiTokens(admin, { limit: 3, after });
      pages++;
      seen.push(...page.items.map((t) => t.id));
      for (const t of page.items) {
        expect(t.user.email).toMatch(/@example\.com$/);
        expect(t).not.toHaveProperty("tokenHash");
      }
      if (!page.olderCursor) break;
      expect(decodeCursor(page.olderCursor).id).toBe(page.items.at(-1)!.id);
      after = page.olderCursor;
    }
    expect(seen).toEqual(all.map((t) => t.id));
    expect(pages).toBe(Math.ceil(all.length / 3));

    // Back from the second page: the first page again.
    const first = await listAllApiTokens(admin, { limit: 3 });
    const second = await listAllApiTokens(admin, { limit: 3, after: first.olderCursor! });
    const back = await listAllApiTokens(admin, { limit: 3, before: second.newerCursor! });
    expect(back.items.map((t) => t.id)).toEqual(first.items.map((t) => t.id));

    const searchOnly = await listAllApiTokens(admin, { owner: "DEV.SEARCH@example.com" });
    expect(searchOnly.items.length).toBeGreaterThan(0);
    expect(new Set(searchOnly.items.map((t) => t.user.email))).toEqual(new Set(["dev.search@example.com"]));
    expect((await listAllApiTokens(admin, { owner: "nobody@example.com" })).items).toEqual([]);

    const revoked = await listAllApiTokens(admin, { status: "revoked" });
    expect(revoked.items.length).toBeGreaterThanOrEqual(2);
    expect(revoked.items.every((t) => t.revokedAt !== null)).toBe(true);
    const active = await listAllApiTokens(admin, { status: "active" });
    expect(active.items.every((t) => t.revokedAt === null && (!t.expiresAt || t.expiresAt > new Date()))).toBe(true);

    await expectAppError(listAllApiTokens(admin, { status: "lost" }), "VALIDATION");
    await expectAppError(listAllApiTokens(admin, { after: "garbage" }), "VALIDATION");
  });
});
