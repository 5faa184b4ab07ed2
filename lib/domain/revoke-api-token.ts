import { z } from "zod";
import { can } from "@/lib/authz/permissions";
import { recordAudit } from "@/lib/domain/audit";
import { defineUseCase } from "@/lib/domain/use-case";
import { notFound } from "@/lib/errors";

export const ZRevokeApiToken = z.object({
  tokenId: z.string({ error: "Which token?" }).trim().min(1, "Which token?").max(64),
});
export type TRevokeApiToken = z.input<typeof ZRevokeApiToken>;

export type TRevokedApiToken = { id: string; name: string; prefix: string; ownerEmail: string; revokedAt: Date; alreadyRevoked: boolean };

/**
 * Revoke an API token: its next request gets 401. The owner revokes their own; admins anyone's. Someone
 * else's token is "not found" (its existence is not advertised), exactly like an unknown id. Idempotent:
 * revoking a revoked token changes nothing and records nothing. Audited as `token.revoke`.
 */
export const revokeApiToken = defineUseCase<typeof ZRevokeApiToken, TRevokedApiToken, Date>({
  name: "token.revoke",
  input: ZRevokeApiToken,
  permission: { action: "token.manage-own", on: "token" },
  run: async (ctx, input, now = new Date()): Promise<TRevokedApiToken> => {
    const anyone = can(ctx.actor, "token.manage-any");
    // Scoped in the where: without the admin permission, only the caller's own tokens can match.
    const t = await ctx.db.apiToken.findFirst({
      where: { id: input.tokenId, ...(anyone ? {} : { userId: ctx.actor.id }) },
      select: { id: true, userId: true, name: true, prefix: true, revokedAt: true, user: { select: { email: true } } },
    });
    if (!t || !(anyone || can(ctx.actor, "token.manage-own", { token: { userId: t.userId } }))) throw notFound("API token");
    const result = { id: t.id, name: t.name, prefix: t.prefix, ownerEmail: t.user.email };
    if (t.revokedAt) return { ...result, revokedAt: t.revokedAt, alreadyRevoked: true };

    return ctx.db.$transaction(async (tx) => {
      const changed = await tx.apiToken.updateMany({ where: { id: t.id, revokedAt: null }, data: { revokedAt: now } });
      if (changed.count === 0) {
        // Revoked concurrently by someone else: theirs is the recorded revocation.
        const current = await tx.apiToken.findUniqueOrThrow({ where: { id: t.id }, select: { revokedAt: true } });
        return { ...result, revokedAt: current.revokedAt ?? now, alreadyRevoked: true };
      }
      await recordAudit(tx, ctx, {
        action: "token.revoke",
        targetType: "token",
        targetId: t.id,
        details: { userId: t.userId, userEmail: t.user.email, name: t.name, prefix: t.prefix, byOwner: t.userId === ctx.actor.id },
      });
      return { ...result, revokedAt: now, alreadyRevoked: false };
    });
  },
});
