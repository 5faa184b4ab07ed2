import { z } from "zod";
import { can } from "@/lib/authz/permissions";
import { recordAudit, recordClusterEvent } from "@/lib/domain/audit";
import { ZClusterName } from "@/lib/domain/cluster-name";
import type { DomainContext } from "@/lib/domain/context";
import { enqueueReconcile } from "@/lib/domain/enqueue";
import { namespaceName, newNamespaceSuffix, releaseName } from "@/lib/kube/cluster-spec";
import { parseInput } from "@/lib/domain/parse-input";
import { placeCluster } from "@/lib/domain/place-cluster";
import { checkQuota, loadLimits, lockTeam, reservedUsage } from "@/lib/domain/quota";
import { ZTemplateParameters, parameterValuesSchema, sizeMultiplier } from "@/lib/domain/template-parameters";
import { AppError, forbidden, notFound, validationError } from "@/lib/errors";
import { Prisma } from "@/lib/generated/prisma/client";

export const ZRequestCluster = z.object({
  teamId: z.string({ error: "Choose a team" }).min(1, "Choose a team"),
  templateSlug: z.string({ error: "Choose a template" }).min(1, "Choose a template"),
  templateVersion: z.coerce.number().int().positive().optional(),
  name: ZClusterName,
  parameters: z.record(z.string(), z.unknown()).default({}),
});
export type TRequestCluster = z.input<typeof ZRequestCluster>;

/** A developer asks for a virtual cluster from a template version. Nothing is written unless everything checks out. */
export async function requestCluster(ctx: DomainContext, raw: TRequestCluster) {
  const input = parseInput(ZRequestCluster, raw);
  if (!can(ctx.actor, "cluster.request", { teamId: input.teamId })) throw forbidden("You can only request clusters for a team you belong to.");

  const version = await ctx.db.templateVersion.findFirst({
    where: {
      template: { slug: input.templateSlug, archived: false },
      ...(input.templateVersion ? { version: input.templateVersion } : { deprecated: false }),
    },
    orderBy: { version: "desc" },
    include: { template: true },
  });
  if (!version) throw notFound(`Template "${input.templateSlug}"${input.templateVersion ? ` version ${input.templateVersion}` : ""}`);
  if (version.deprecated) throw new AppError("PRECONDITION_FAILED", `Version ${version.version} of ${version.template.name} is deprecated; use the latest version.`);

  const params = ZTemplateParameters.parse(version.parameters);
  const parsed = parameterValuesSchema(params).safeParse(input.parameters);
  if (!parsed.success) {
    const e = validationError(parsed.error);
    throw new AppError("VALIDATION", e.message, Object.fromEntries(Object.entries(e.fieldErrors ?? {}).map(([k, v]) => [`parameters.${k}`, v])));
  }
  const values = parsed.data as Record<string, string | number | boolean>;
  const ttlHours = typeof values.ttlHours === "number" ? values.ttlHours : version.defaultTtlHours;
  if (ttlHours > version.maxTtlHours)
    throw new AppError("VALIDATION", "Please correct the highlighted fields.", { "parameters.ttlHours": [`${version.template.name} clusters live at most ${version.maxTtlHours} hours`] });
  const factor = sizeMultiplier[String(values.size ?? "small")] ?? 1;
  const need = { clusters: 1, cpuMillicores: version.cpuMillicores * factor, memoryMiB: version.memoryMiB * factor };

  try {
    return await ctx.db.$transaction(async (tx) => {
      const team = await tx.team.findUnique({ where: { id: input.teamId } });
      if (!team) throw notFound("Team");
      await lockTeam(tx, team.id);
      const limits = await loadLimits(tx, team.id);
      const quota = await tx.teamQuota.findUniqueOrThrow({ where: { teamId: team.id } });
      if (ttlHours > quota.maxLifetimeHours)
        throw new AppError("VALIDATION", "Please correct the highlighted fields.", { "parameters.ttlHours": [`Your team's clusters live at most ${quota.maxLifetimeHours} hours`] });

      const taken = await tx.virtualCluster.findFirst({ where: { teamId: team.id, name: input.name, phase: { notIn: ["DELETED", "REJECTED", "EXPIRED"] } } });
      if (taken) throw nameTaken(input.name, team.name);

      const check = checkQuota(limits, await reservedUsage(tx, team.id), need);
      if (!check.fits) throw new AppError("QUOTA_EXCEEDED", check.message);
      const needsApproval = version.approval === "REQUIRED" || check.needsApproval;

      const hostClusterId = needsApproval
        ? null
        : await placeCluster(tx, { cpuMillicores: need.cpuMillicores, memoryMiB: need.memoryMiB, selector: version.template.hostSelector as Record<string, string> });

      const cluster = await tx.virtualCluster.create({
        data: {
          name: input.name,
          teamId: team.id,
          ownerId: ctx.actor.id,
          templateVersionId: version.id,
          parameters: values,
          cpuMillicores: need.cpuMillicores,
          memoryMiB: need.memoryMiB,
          hostClusterId,
          namespace: namespaceName(team.slug, input.name, newNamespaceSuffix()),
          releaseName: releaseName(input.name),
          phase: needsApproval ? "PENDING_APPROVAL" : "PROVISIONING",
          expiresAt: needsApproval ? null : new Date(Date.now() + ttlHours * 3600_000),
          // Nothing to do until an admin approves.
          nextReconcileAt: needsApproval ? new Date("9999-01-01T00:00:00Z") : new Date(),
        },
      });
      await recordClusterEvent(tx, cluster.id, "requested", `Requested by ${ctx.actor.email} from ${version.template.name} v${version.version}`, ctx.actor.id);
      if (needsApproval)
        await recordClusterEvent(tx, cluster.id, "awaiting-approval", version.approval === "REQUIRED" ? `${version.template.name} needs an admin's approval` : "This request crosses your team's approval threshold");
      await recordAudit(tx, ctx, {
        action: "cluster.request",
        targetType: "cluster",
        targetId: cluster.id,
        teamId: team.id,
        details: { name: input.name, template: version.template.slug, version: version.version, parameters: values, needsApproval },
      });
      if (!needsApproval) await enqueueReconcile(tx, cluster.id);
      return cluster;
    });
  } catch (e) {
    // The partial unique index catches a concurrent request for the same name.
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002") throw nameTaken(input.name);
    throw e;
  }
}

function nameTaken(name: string, team?: string) {
  return new AppError("CONFLICT", "Please choose another name.", { name: [`"${name}" is already used by a cluster of ${team ?? "your team"}`] });
}
