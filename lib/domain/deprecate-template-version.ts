import { z } from "zod";
import { recordAudit } from "@/lib/domain/audit";
import { AppError, notFound } from "@/lib/errors";
import { defineUseCase } from "@/lib/domain/use-case";

export const ZDeprecateTemplateVersion = z.object({
  templateSlug: z.string().trim().min(1),
  version: z.coerce.number().int().positive(),
  /** false restores a deprecated version. */
  deprecated: z.union([z.boolean(), z.enum(["true", "false"]).transform((v) => v === "true")]).default(true),
});
export type TDeprecateTemplateVersion = z.input<typeof ZDeprecateTemplateVersion>;

/**
 * Deprecated versions cannot be requested any more; clusters already on them keep running. A template's
 * last requestable version cannot be deprecated (publish a new one first), so the catalog never shows a
 * template nobody can request.
 */
export const deprecateTemplateVersion = defineUseCase({
  name: "template.deprecate-version",
  input: ZDeprecateTemplateVersion,
  permission: { action: "template.manage", refusal: "Only admins can deprecate template versions." },
  run: async (ctx, input) => {
    return ctx.db.$transaction(async (tx) => {
      const template = await tx.template.findUnique({ where: { slug: input.templateSlug } });
      if (!template) throw notFound("Template");
      // Serialize changes to one template's versions.
      await tx.$queryRaw`SELECT id FROM "Template" WHERE id = ${template.id} FOR UPDATE`;
      const version = await tx.templateVersion.findUnique({ where: { templateId_version: { templateId: template.id, version: input.version } } });
      if (!version) throw notFound(`Version ${input.version} of ${template.name}`);
      if (version.deprecated === input.deprecated) return version;
      if (input.deprecated) {
        const others = await tx.templateVersion.count({ where: { templateId: template.id, deprecated: false, id: { not: version.id } } });
        if (others === 0)
          throw new AppError("PRECONDITION_FAILED", `Version ${version.version} is the only requestable version of ${template.name}. Publish a new version before deprecating it.`);
      }
      const updated = await tx.templateVersion.updateMany({ where: { id: version.id, deprecated: !input.deprecated }, data: { deprecated: input.deprecated } });
      if (updated.count !== 1) throw new AppError("CONFLICT", "The version changed while you were looking at it. Reload and try again.");
      await recordAudit(tx, ctx, {
        action: input.deprecated ? "template.version.deprecate" : "template.version.restore",
        targetType: "template",
        targetId: template.id,
        details: { template: template.slug, version: version.version },
      });
      return { ...version, deprecated: input.deprecated };
    });
  },
});
