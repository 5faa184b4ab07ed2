import type { DomainContext } from "@/lib/domain/context";
import type { Prisma } from "@/lib/generated/prisma/client";

export type AuditInput = {
  action: string;
  targetType: "cluster" | "template" | "team" | "host" | "token" | "user";
  targetId?: string;
  teamId?: string | null;
  details?: Prisma.InputJsonValue;
};

type Tx = Prisma.TransactionClient;

/** Append one audit event in the caller's transaction, so the record and the change commit together. */
export async function recordAudit(tx: Tx, ctx: Pick<DomainContext, "actor" | "requestId" | "ip">, input: AuditInput) {
  await tx.auditEvent.create({
    data: {
      actorId: ctx.actor.id === "system" ? null : ctx.actor.id,
      actorEmail: ctx.actor.email,
      action: input.action,
      targetType: input.targetType,
      targetId: input.targetId,
      teamId: input.teamId ?? null,
      ip: ctx.ip,
      requestId: ctx.requestId,
      details: input.details ?? {},
    },
  });
}

/** One line on the cluster's timeline. */
export async function recordClusterEvent(tx: Tx, clusterId: string, type: string, message: string, actorId?: string) {
  await tx.clusterEvent.create({ data: { clusterId, type, message, actorId: actorId === "system" ? null : actorId } });
}
