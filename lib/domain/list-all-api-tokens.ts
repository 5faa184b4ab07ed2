import { z } from "zod";
import { can } from "@/lib/authz/permissions";
import { API_TOKEN_STATUSES, apiTokenStatusWhere } from "@/lib/domain/api-token-status";
import type { DomainContext } from "@/lib/domain/context";
import { decodeCursor, keysetPageFields, newerThan, olderThan, optionalFilter, type Page, toPage } from "@/lib/domain/keyset-cursor";
import { apiTokenListSelect } from "@/lib/domain/list-my-api-tokens";
import { parseInput } from "@/lib/domain/parse-input";
import { forbidden } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";

export const ZListAllApiTokens = z
  .object({
    owner: optionalFilter(z.string().max(254).toLowerCase()),
    status: optionalFilter(z.enum(API_TOKEN_STATUSES, { error: "Unknown status: use active, expired or revoked" })),
    ...keysetPageFields,
  })
  .refine((v) => !(v.after && v.before), { message: "Use either after or before", path: ["before"] });
export type TListAllApiTokens = z.input<typeof ZListAllApiTokens>;

const select = { ...apiTokenListSelect, user: { select: { id: true, email: true, name: true } } } satisfies Prisma.ApiTokenSelect;

export type AdminApiTokenRow = Prisma.ApiTokenGetPayload<{ select: typeof select }>;

/**
 * Every person's API tokens, newest first, for admins: keyset paging on (createdAt, id), filters by owner
 * e-mail and status. Never returns a token's hash.
 */
export async function listAllApiTokens(ctx: DomainContext, raw: TListAllApiTokens, now: Date = new Date()): Promise<Page<AdminApiTokenRow>> {
  if (!can(ctx.actor, "token.manage-any")) throw forbidden("Only admins can list everyone's API tokens.");
  const input = parseInput(ZListAllApiTokens, raw);

  const where: Prisma.ApiTokenWhereInput[] = [];
  if (input.owner) {
    const owner = await ctx.db.user.findUnique({ where: { email: input.owner }, select: { id: true } });
    if (!owner) return { items: [], olderCursor: null, newerCursor: null };
    where.push({ userId: owner.id });
  }
  if (input.status) where.push(apiTokenStatusWhere(input.status, now));

  const direction = input.before ? "newer" : "older";
  const cursor = input.before ?? input.after;
  if (cursor) {
    const c = decodeCursor(cursor);
    where.push(direction === "older" ? olderThan(c) : newerThan(c));
  }
  const order = direction === "older" ? "desc" : "asc";
  const rows = await ctx.db.apiToken.findMany({
    where: { AND: where },
    orderBy: [{ createdAt: order }, { id: order }],
    take: input.limit + 1,
    select,
  });
  return toPage(rows, input.limit, direction, Boolean(cursor));
}
