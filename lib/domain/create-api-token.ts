import { z } from "zod";
import { generateApiToken } from "@/lib/auth/api-token";
import { type ApiTokenScope, DEFAULT_API_TOKEN_SCOPES, ZApiTokenScopes } from "@/lib/auth/api-token-scopes";
import { can } from "@/lib/authz/permissions";
import { recordAudit } from "@/lib/domain/audit";
import { type DomainContext, SYSTEM_ACTOR } from "@/lib/domain/context";
import { blankToUndefined } from "@/lib/domain/keyset-cursor";
import { AppError, forbidden } from "@/lib/errors";
import { env } from "@/lib/env";
import { defineUseCase } from "@/lib/domain/use-case";

/** A new token's lifetime when none is asked for, capped by the configured maximum. */
export const DEFAULT_API_TOKEN_DAYS = 90;

export const ZCreateApiToken = z.object({
  name: z.string({ error: "Give the token a name" }).trim().min(1, "Give the token a name").max(64, "At most 64 characters"),
  expiresInDays: z.preprocess(blankToUndefined, z.coerce.number({ error: "A whole number of days" }).int("A whole number of days").min(1, "At least 1 day").optional()),
  /** Absent: the safer default, read. */
  scopes: ZApiTokenScopes.optional(),
  /** Whose token: only operators (npm run token:create) name someone; a person's own tokens omit it. */
  email: z.preprocess(blankToUndefined, z.email("Enter the e-mail address of an existing user").transform((e) => e.toLowerCase()).optional()),
});
export type TCreateApiToken = z.input<typeof ZCreateApiToken>;

export type TCreatedApiToken = {
  /** The secret, shown once: only its sha256 is stored. */
  token: string;
  id: string;
  name: string;
  prefix: string;
  scopes: ApiTokenScope[];
  userEmail: string;
  expiresAt: Date;
};

export type CreateApiTokenLimits = {
  /** Longest lifetime in days (API_TOKEN_MAX_DAYS). */
  maxDays?: number;
  now?: Date;
};

/**
 * Issue a personal API token. A person issues tokens only for themselves (admins too); the system actor
 * (operators running `npm run token:create`, who hold the database credentials anyway) issues them for an
 * existing user named by e-mail. The lifetime is at most API_TOKEN_MAX_DAYS; scopes `read` (default) and
 * `write`. Stores the sha256 and a display prefix, never the token; audited as `token.create`.
 */
export const createApiToken = defineUseCase<typeof ZCreateApiToken, TCreatedApiToken, CreateApiTokenLimits>({
  name: "token.create",
  input: ZCreateApiToken,
  permission: "signed-in",
  run: async (ctx, input, limits = {}): Promise<TCreatedApiToken> => {
    const maxDays = limits.maxDays ?? env().API_TOKEN_MAX_DAYS;
    const days = input.expiresInDays ?? Math.min(DEFAULT_API_TOKEN_DAYS, maxDays);
    if (days > maxDays)
      throw new AppError("VALIDATION", "Please correct the highlighted fields.", {
        expiresInDays: [`At most ${maxDays} days: the portal's limit for API tokens (API_TOKEN_MAX_DAYS)`],
      });

    const scopes = input.scopes ?? [...DEFAULT_API_TOKEN_SCOPES];
    const owner = await tokenOwner(ctx, input.email);
    const { token, hash, prefix } = generateApiToken();
    const expiresAt = new Date((limits.now ?? new Date()).getTime() + days * 86_400_000);
    const row = await ctx.db.$transaction(async (tx) => {
      const created = await tx.apiToken.create({ data: { userId: owner.id, name: input.name, tokenHash: hash, prefix, scopes, expiresAt }, select: { id: true } });
      await recordAudit(tx, ctx, {
        action: "token.create",
        targetType: "token",
        targetId: created.id,
        details: { userId: owner.id, userEmail: owner.email, name: input.name, prefix, scopes, expiresAt: expiresAt.toISOString() },
      });
      return created;
    });
    return { token, id: row.id, name: input.name, prefix, scopes, userEmail: owner.email, expiresAt };
  },
});

async function tokenOwner(ctx: DomainContext, email: string | undefined): Promise<{ id: string; email: string }> {
  if (ctx.actor.id === SYSTEM_ACTOR.id) {
    if (!email) throw new AppError("VALIDATION", "Please correct the highlighted fields.", { email: ["Enter the e-mail address of an existing user"] });
    const user = await ctx.db.user.findFirst({ where: { email: { equals: email, mode: "insensitive" } }, select: { id: true, email: true } });
    if (!user) throw new AppError("NOT_FOUND", `No user with the e-mail ${email}. People appear after their first sign-in (or run npm run db:seed for the demo users).`);
    return user;
  }
  // Compared before any lookup, so the refusal says nothing about whether that person exists.
  if (email !== undefined && email !== ctx.actor.email.toLowerCase()) throw forbidden("You can create API tokens only for yourself.");
  if (!can(ctx.actor, "token.manage-own", { token: { userId: ctx.actor.id } })) throw forbidden("You may not create API tokens.");
  return { id: ctx.actor.id, email: ctx.actor.email };
}
