import { z } from "zod";
import { can } from "@/lib/authz/permissions";
import { recordAudit } from "@/lib/domain/audit";
import type { DomainContext } from "@/lib/domain/context";
import { parseInput } from "@/lib/domain/parse-input";
import { forbidden, notFound } from "@/lib/errors";

export const ZSetHostEnabled = z.object({
  hostId: z.string().min(1),
  enabled: z.union([z.boolean(), z.enum(["true", "false"]).transform((v) => v === "true")]),
});
export type TSetHostEnabled = z.input<typeof ZSetHostEnabled>;

/**
 * Enable or disable placement on a host cluster. A disabled host takes no new clusters; the ones on it
 * keep being reconciled (sleep, wake, delete still work).
 */
export async function setHostEnabled(ctx: DomainContext, raw: TSetHostEnabled) {
  if (!can(ctx.actor, "host.manage")) throw forbidden("Only admins can manage host clusters.");
  const input = parseInput(ZSetHostEnabled, raw);
  return ctx.db.$transaction(async (tx) => {
    const host = await tx.hostCluster.findUnique({ where: { id: input.hostId }, omit: { kubeconfigEncrypted: true } });
    if (!host) throw notFound("Host cluster");
    if (host.enabled === input.enabled) return host;
    const updated = await tx.hostCluster.update({ where: { id: host.id }, data: { enabled: input.enabled }, omit: { kubeconfigEncrypted: true } });
    await recordAudit(tx, ctx, { action: input.enabled ? "host.enable" : "host.disable", targetType: "host", targetId: host.id, details: { name: host.name } });
    return updated;
  });
}
