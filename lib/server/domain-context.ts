import "server-only";
import { randomUUID } from "node:crypto";
import { headers } from "next/headers";
import { requireUser } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { clientIp } from "@/lib/server/client-ip";
import type { DomainContext } from "@/lib/domain/context";

/** The signed-in person as a domain actor, with the request's id and client address for the audit log. */
export async function domainContext(): Promise<DomainContext> {
  const user = await requireUser();
  const h = await headers();
  return {
    db: db(),
    actor: { id: user.id, email: user.email, isAdmin: user.isAdmin, memberships: user.memberships.map((m) => ({ teamId: m.teamId, role: m.role })) },
    requestId: h.get("x-request-id") ?? randomUUID(),
    ip: clientIp(h),
  };
}
