import type { Actor } from "@/lib/authz/permissions";
import type { PrismaClient } from "@/lib/generated/prisma/client";

/** Who is acting and through which database handle; route handlers and server actions build one per request. */
export type DomainContext = {
  db: PrismaClient;
  actor: Actor & { email: string };
  requestId?: string;
  ip?: string;
};

/** The reconciler and sweeps act as the system, not as a person. */
export const SYSTEM_ACTOR = { id: "system", email: "system", isAdmin: true, memberships: [] } as const;
