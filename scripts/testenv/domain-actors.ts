// Helpers for integration tests of use cases: a seeded person as a domain actor, and AppError assertions.
import { expect } from "vitest";
import type { DomainContext } from "@/lib/domain/context";
import { AppError } from "@/lib/errors";
import type { PrismaClient } from "@/lib/generated/prisma/client";

export async function actorContext(prisma: PrismaClient, email: string, extra: Partial<Pick<DomainContext, "ip" | "requestId">> = {}): Promise<DomainContext> {
  const u = await prisma.user.findUniqueOrThrow({ where: { email }, include: { memberships: { include: { team: true }, orderBy: { team: { slug: "asc" } } } } });
  return {
    db: prisma,
    actor: { id: u.id, email: u.email, isAdmin: u.isAdmin, memberships: u.memberships.map((m) => ({ teamId: m.teamId, role: m.role })) },
    requestId: "test",
    ...extra,
  };
}

/** Awaits `p`, expects it to reject with an AppError of `code` (and the fields in `match`), returns it. */
export async function expectAppError(p: Promise<unknown>, code: AppError["code"], match?: Record<string, unknown>): Promise<AppError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e, "expected an AppError").toBeInstanceOf(AppError);
  expect((e as AppError).code).toBe(code);
  if (match) expect(e).toMatchObject(match);
  return e as AppError;
}
