import { z } from "zod";
import { recordAudit } from "@/lib/domain/audit";
import { defineUseCase } from "@/lib/domain/use-case";
import { notFound } from "@/lib/errors";

export const ZRemoveHostLicence = z.object({ hostId: z.string().min(1) });
export type TRemoveHostLicence = z.input<typeof ZRemoveHostLicence>;

/**
 * An admin removes a host's vCluster Platform licence: the stored access key is erased. Each cluster on the host
 * goes back to the open-source image, and loses the licence Secret the portal wrote, from its next install on.
 */
export const removeHostLicence = defineUseCase({
  name: "host.remove-licence",
  input: ZRemoveHostLicence,
  permission: { action: "host.manage", refusal: "Only admins can manage host clusters." },
  run: async (ctx, input) => {
    return ctx.db.$transaction(async (tx) => {
      const host = await tx.hostCluster.findUnique({ where: { id: input.hostId }, select: { id: true, name: true, platformHost: true, platformAccessKeyEncrypted: true } });
      if (!host) throw notFound("Host cluster");
      if (!host.platformAccessKeyEncrypted && !host.platformHost) return { name: host.name, removed: false };
      await tx.hostCluster.update({
        where: { id: host.id },
        data: { platformHost: null, platformProject: null, platformInsecure: false, platformAccessKeyEncrypted: null },
      });
      await recordAudit(tx, ctx, { action: "host.licence.remove", targetType: "host", targetId: host.id, details: { name: host.name, platformHost: host.platformHost } });
      return { name: host.name, removed: true };
    });
  },
});
