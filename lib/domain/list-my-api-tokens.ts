import { can } from "@/lib/authz/permissions";
import type { DomainContext } from "@/lib/domain/context";
import { forbidden } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";

/** How many of a person's tokens the Settings page lists (newest first). */
export const MY_API_TOKENS_LIMIT = 100;

// Never the hash: what a list shows of a token is its name and display prefix.
export const apiTokenListSelect = {
  id: true,
  name: true,
  prefix: true,
  scopes: true,
  createdAt: true,
  lastUsedAt: true,
  expiresAt: true,
  revokedAt: true,
} satisfies Prisma.ApiTokenSelect;

export type TApiTokenRow = Prisma.ApiTokenGetPayload<{ select: typeof apiTokenListSelect }>;

/**
 * The signed-in person's own API tokens, newest first, revoked and expired ones included (they say when
 * and what happened). Scoped in the `where`, so nobody else's token can appear.
 */
export async function listMyApiTokens(ctx: DomainContext): Promise<{ items: TApiTokenRow[]; truncated: boolean }> {
  if (!can(ctx.actor, "token.manage-own", { token: { userId: ctx.actor.id } })) throw forbidden("You may not manage API tokens.");
  const rows = await ctx.db.apiToken.findMany({
    where: { userId: ctx.actor.id },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: MY_API_TOKENS_LIMIT + 1,
    select: apiTokenListSelect,
  });
  return { items: rows.slice(0, MY_API_TOKENS_LIMIT), truncated: rows.length > MY_API_TOKENS_LIMIT };
}
