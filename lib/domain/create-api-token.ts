import { z } from "zod";
import { generateApiToken } from "@/lib/auth/api-token";
import { recordAudit } from "@/lib/domain/audit";
import { type DomainContext, SYSTEM_ACTOR } from "@/lib/domain/context";
import { parseInput } from "@/lib/domain/parse-input";
import { AppError } from "@/lib/errors";
import type { PrismaClient } from "@/lib/generated/prisma/client";

export const ZCreateApiToken = z.object({
  email: z.email("Enter the e-mail address of an existing user").transform((e) => e.toLowerCase()),
  name: z.string().trim().min(1, "Give the token a name").max(64, "At most 64 characters").default("default"),
  expiresInDays: z.coerce.number().int("A whole number of days").min(1, "At least 1 day").max(365, "At most 365 days").default(90),
});
export type TCreateApiToken = z.input<typeof ZCreateApiToken>;

export type TCreatedApiToken = {
  /** The secret, shown once: only its sha256 is stored. */
  token: string;
  id: string;
  name: string;
  prefix: string;
  userEmail: string;
  expiresAt: Date;
};

/**
 * Issue a personal API token for an existing user (operators run it through `npm run token:create`).
 * Stores the sha256 and a display prefix, never the token; audited as `token.create`.
 */
export async function createApiToken(
  db: PrismaClient,
  raw: TCreateApiToken,
  by: Pick<DomainContext, "actor" | "requestId" | "ip"> = { actor: { ...SYSTEM_ACTOR, memberships: [] } },
): Promise<TCreatedApiToken> {
  const input = parseInput(ZCreateApiToken, raw);
  const user = await db.user.findFirst({ where: { email: { equals: input.email, mode: "insensitive" } }, select: { id: true, email: true } });
  if (!user) throw new AppError("NOT_FOUND", `No user with the e-mail ${input.email}. People appear after their first sign-in (or run npm run db:seed for the demo users).`);

  const { token, hash, prefix } = generateApiToken();
  const expiresAt = new Date(Date.now() + input.expiresInDays * 86_400_000);
  const row = await db.$transaction(async (tx) => {
    const created = await tx.apiToken.create({ data: { userId: user.id, name: input.name, tokenHash: hash, prefix, expiresAt }, select: { id: true } });
    await recordAudit(tx, by, {
      action: "token.create",
      targetType: "token",
      targetId: created.id,
      details: { userId: user.id, userEmail: user.email, name: input.name, prefix, expiresAt: expiresAt.toISOString() },
    });
    return created;
  });
  return { token, id: row.id, name: input.name, prefix, userEmail: user.email, expiresAt };
}
