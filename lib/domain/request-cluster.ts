import { z } from "zod";
import { can } from "@/lib/authz/permissions";
import { recordAudit, recordClusterEvent } from "@/lib/domain/audit";
import { ZClusterName } from "@/lib/domain/cluster-name";
import { PARKED_UNTIL, enqueueReconcile } from "@/lib/domain/enqueue";
import { namespaceName, newNamespaceSuffix, releaseName } from "@/lib/kube/cluster-spec";
import { placeCluster } from "@/lib/domain/place-cluster";
import { loadLimits, lockTeam, teamUsage } from "@/lib/domain/quota";
import { ZTemplateParameters, parameterValuesSchema } from "@/lib/domain/template-parameters";
import { AppError, type FieldErrors, forbidden, notFound, validationError } from "@/lib/errors";
import { Prisma } from "@/lib/generated/prisma/client";
import { expiryAfter, lifetimeRefusal, requestedLifetimeHours } from "@/lib/lifecycle/lifetime";
import { TERMINAL_PHASES } from "@/lib/lifecycle/phases";
import { checkQuota } from "@/lib/lifecycle/quota";
import { clusterResources, offersSmallerSize } from "@/lib/lifecycle/size";
import { defineUseCase } from "@/lib/domain/use-case";

export const ZRequestCluster = z.object({
  teamId: z.string({ error: "Choose a team" }).min(1, "Choose a team"),
  templateSlug: z.string({ error: "Choose a template" }).min(1, "Choose a template"),
  templateVersion: z.coerce.number().int().positive().optional(),
  name: ZClusterName,
  parameters: z.record(z.string(), z.unknown()).default({}),
});
export type TRequestCluster = z.input<typeof ZRequestCluster>;

// The name is checked in the body, with the parameters and the lifetime, so a form hears about every field
// at once instead of one error per submission.
const ZRequestClusterInput = ZRequestCluster.extend({ name: z.unknown() });

/** A developer asks for a virtual cluster from a template version. Nothing is written unless everything checks out. */
export const requestCluster = defineUseCase({
  name: "cluster.request",
  input: ZRequestClusterInput,
  permission: { action: "cluster.request", on: "team" },
  run: async (ctx, raw) => {
    if (!can(ctx.actor, "cluster.request", { teamId: raw.teamId })) throw forbidden("You can only request clusters for a team you belong to.");

    const version = await ctx.db.templateVersion.findFirst({
      where: {
        template: { slug: raw.templateSlug, archived: false },
        ...(raw.templateVersion ? { version: raw.templateVersion } : { deprecated: false }),
      },
      orderBy: { version: "desc" },
      include: { template: true },
    });
    if (!version) throw notFound(`Template "${raw.templateSlug}"${raw.templateVersion ? ` version ${raw.templateVersion}` : ""}`);
    if (version.deprecated) throw new AppError("PRECONDITION_FAILED", `Version ${version.version} of ${version.template.name} is deprecated; use the latest version.`);

    const params = ZTemplateParameters.parse(version.parameters);
    const errors: FieldErrors = {};
    const name = ZClusterName.safeParse(raw.name);
    if (!name.success) errors.name = [name.error.issues[0]!.message];
    const parsed = parameterValuesSchema(params).safeParse(raw.parameters);
    if (!parsed.success) for (const [k, v] of Object.entries(validationError(parsed.error).fieldErrors ?? {})) errors[`parameters.${k}`] = v;
    const values = (parsed.data ?? {}) as Record<string, string | number | boolean>;
    const ttlHours = requestedLifetimeHours(values, version.defaultTtlHours);
    const lifetimeError = (teamMaxHours: number | null) => {
      const refusal = parsed.success ? lifetimeRefusal(ttlHours, { templateMaxHours: version.maxTtlHours, templateName: version.template.name, teamMaxHours }) : null;
      if (refusal) errors["parameters.ttlHours"] = [refusal];
    };
    const refuse = () => {
      if (Object.keys(errors).length > 0) throw new AppError("VALIDATION", "Please correct the highlighted fields.", errors);
    };
    // Read here too (and again under the team's lock) so a too-long lifetime is reported with the other fields.
    const teamQuota = await ctx.db.teamQuota.findUnique({ where: { teamId: raw.teamId }, select: { maxLifetimeHours: true } });
    lifetimeError(teamQuota?.maxLifetimeHours ?? null);
    refuse();
    const input = { ...raw, name: name.data! };
    const need = clusterResources(version, values.size);

    try {
      return await ctx.db.$transaction(async (tx) => {
        const team = await tx.team.findUnique({ where: { id: input.teamId } });
        if (!team) throw notFound("Team");
        await lockTeam(tx, team.id);
        const limits = await loadLimits(tx, team.id);
        const quota = await tx.teamQuota.findUniqueOrThrow({ where: { teamId: team.id } });
        lifetimeError(quota.maxLifetimeHours);
        refuse();

        const taken = await tx.virtualCluster.findFirst({ where: { teamId: team.id, name: input.name, phase: { notIn: TERMINAL_PHASES } } });
        if (taken) throw nameTaken(input.name, team.name);

        const check = checkQuota(limits, await teamUsage(tx, team.id), need);
        if (!check.fits) throw new AppError("QUOTA_EXCEEDED", check.message);
        const needsApproval = version.approval === "REQUIRED" || check.needsApproval;

        const hostClusterId = needsApproval
          ? null
          : await placeCluster(tx, {
              cpuMillicores: need.cpuMillicores,
              memoryMiB: need.memoryMiB,
              selector: version.template.hostSelector as Record<string, string>,
              smallerSizeOffered: offersSmallerSize(params.flatMap((p) => (p.name === "size" && p.type === "enum" ? p.options : [])), values.size),
            });

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
            expiresAt: needsApproval ? null : expiryAfter(Date.now(), ttlHours),
            // Nothing to do until an admin approves.
            nextReconcileAt: needsApproval ? PARKED_UNTIL : new Date(),
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
  },
});

function nameTaken(name: string, team?: string) {
  return new AppError("CONFLICT", "Please choose another name.", { name: [`"${name}" is already used by a cluster of ${team ?? "your team"}`] });
}
