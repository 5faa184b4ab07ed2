import { AppError, notFound } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";

// What draining and forgetting a host share: the admin names the host and confirms by typing its name.

/** The host, disabled at once so it takes no new clusters; refused unless `confirm` is its name. */
export async function disableConfirmedHost(tx: Prisma.TransactionClient, input: { hostId: string; confirm: string }) {
  const host = await tx.hostCluster.findUnique({ where: { id: input.hostId }, omit: { kubeconfigEncrypted: true, platformAccessKeyEncrypted: true } });
  if (!host) throw notFound("Host cluster");
  if (input.confirm !== host.name) throw new AppError("VALIDATION", "Please correct the highlighted fields.", { confirm: [`Type "${host.name}" to confirm`] });
  await tx.hostCluster.update({ where: { id: host.id }, data: { enabled: false } });
  return host;
}
