import { z } from "zod";
import { recordAudit } from "@/lib/domain/audit";
import { notFound } from "@/lib/errors";
import { defineUseCase } from "@/lib/domain/use-case";

export const ZSetHostEnabled = z.object({
  hostId: z.string().min(1),
  enabled: z.union([z.boolean(), z.enum(["true", "false"]).transform((v) => v === "true")]),
});
export type TSetHostEnabled = z.input<typeof ZSetHostEnabled>;

/**
 * Enable or disable placement on a host cluster. A disabled host takes no new clusters; the ones on it
 * keep being reconciled (sleep, wake, delete still work).
 */
export const setHostEnabled = defineUseCase({
  name: "host.set-enabled",
  input: ZSetHostEnabled,
  permission: { action: "host.manage", refusal: "Only admins can manage host clusters." },
  run: async (ctx, input) => {
    return ctx.db.$transaction(async (tx) => {
      const host = await tx.hostCluster.findUnique({ where: { id: input.hostId }, omit: { kubeconfigEncrypted: true, platformAccessKeyEncrypted: true } });
      if (!host) throw notFound("Host cluster");
      if (host.enabled === input.enabled) return host;
      const updated = await tx.hostCluster.update({ where: { id: host.id }, data: { enabled: input.enabled }, omit: { kubeconfigEncrypted: true, platformAccessKeyEncrypted: true } });
      await recordAudit(tx, ctx, { action: input.enabled ? "host.enable" : "host.disable", targetType: "host", targetId: host.id, details: { name: host.name } });
      return updated;
    });
  },
});
