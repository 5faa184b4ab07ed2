import { z } from "zod";
import { formBoolean } from "@/lib/domain/form-boolean";
import { recordAudit } from "@/lib/domain/audit";
import {
  checkChartVersion,
  checkKubernetesVersion,
  checkKubernetesVersionParameter,
  checkLicensedValues,
  checkParametersJson,
  checkPrivilegedValues,
  checkValuesYaml,
  normalizeLineEndings,
} from "@/lib/domain/template-draft";
import { AppError, notFound } from "@/lib/errors";
import { Prisma } from "@/lib/generated/prisma/client";
import { privilegedKeysIn } from "@/lib/vcluster/privileged-keys";
import { validateVclusterValues } from "@/lib/vcluster/validate-values";
import { defineUseCase } from "@/lib/domain/use-case";

const int = (label: string, min: number, max: number) =>
  z.coerce.number({ error: `${label} must be a number` }).int(`${label} must be a whole number`).min(min, `${label} must be at least ${min}`).max(max, `${label} must be at most ${max}`);

export const ZCreateTemplateVersion = z
  .object({
    templateSlug: z.string().trim().min(1),
    description: z.string().trim().max(500, "Keep the description under 500 characters").default(""),
    kubernetesVersion: z.string().trim().regex(/^\d+\.\d+(\.\d+)?$/, "Use a Kubernetes version like 1.36"),
    chartVersion: z.string().trim().regex(/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/, "Use a chart version like 0.30.0"),
    // Line endings normalised before anything is checked, stored or diffed (a pasted \r\n would change every line).
    valuesYaml: z.string().max(100_000, "The values are too long (100 kB at most)").transform(normalizeLineEndings),
    parametersJson: z.string().max(50_000, "The parameters are too long").transform(normalizeLineEndings),
    cpuMillicores: int("CPU", 100, 256_000),
    memoryMiB: int("Memory", 128, 1_048_576),
    defaultTtlHours: int("Default lifetime", 1, 8760),
    maxTtlHours: int("Maximum lifetime", 1, 8760),
    approval: z.enum(["AUTO", "REQUIRED"], { error: "Choose automatic or required approval" }),
    expiryAction: z.enum(["DELETE", "SLEEP"], { error: "Choose what happens on expiry" }),
    podSecurityStandard: z.enum(["privileged", "baseline", "restricted"], { error: "Choose a Pod Security Standard" }).default("restricted"),
    isolateNetwork: formBoolean().default(false),
    // An admin's explicit "this version may widen host privileges" (lib/vcluster/privileged-keys.ts).
    privileged: formBoolean().default(false),
    // The ClusterRole inside the virtual cluster that each person's ServiceAccount is bound to (per-person kubeconfigs).
    tenantRole: z
      .string()
      .trim()
      .max(253, "Keep the role name under 254 characters")
      .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, "Use a ClusterRole name: lowercase letters, digits, '-' and '.', e.g. cluster-admin, admin, edit or view")
      .default("cluster-admin"),
  })
  .refine((v) => v.defaultTtlHours <= v.maxTtlHours, { message: "The default lifetime cannot exceed the maximum", path: ["defaultTtlHours"] });
export type TCreateTemplateVersion = z.input<typeof ZCreateTemplateVersion>;

/**
 * An admin publishes a new, immutable version of a template. Before anything is written: the chart version
 * must be one the portal supports, the Kubernetes version one that chart ships (also every option of a
 * "kubernetesVersion" parameter), the values a YAML mapping that the chart's values schema accepts without
 * licensed (vCluster Platform) features and — unless the version is marked privileged — without settings that widen
 * host privileges (lib/vcluster/privileged-keys.ts), and the parameters must satisfy ZTemplateParameters. The number is
 * previous + 1 (the unique (templateId, version) index turns a concurrent publish into a conflict, not a duplicate).
 */
export const createTemplateVersion = defineUseCase({
  name: "template.create-version",
  input: ZCreateTemplateVersion,
  permission: { action: "template.manage", refusal: "Only admins can publish template versions." },
  run: async (ctx, input) => {

    const fieldErrors: Record<string, string[]> = {};
    const values = checkValuesYaml(input.valuesYaml);
    if (!values.ok) fieldErrors.valuesYaml = values.errors;
    const params = checkParametersJson(input.parametersJson);
    if (!params.ok) fieldErrors.parametersJson = params.errors;
    const chart = checkChartVersion(input.chartVersion);
    if (!chart.ok) fieldErrors.chartVersion = chart.errors;
    if (chart.ok) {
      const k8s = checkKubernetesVersion(chart.value, input.kubernetesVersion);
      if (!k8s.ok) fieldErrors.kubernetesVersion = k8s.errors;
      if (values.ok) {
        const schema = validateVclusterValues(chart.value, values.value);
        const privileged = checkPrivilegedValues(values.value, input);
        if (privileged.podSecurityStandard.length > 0) fieldErrors.podSecurityStandard = privileged.podSecurityStandard;
        const valueErrors = [...checkLicensedValues(chart.value, values.value), ...privileged.valuesYaml, ...(schema.ok ? [] : schema.errors.map((e) => e.message))];
        if (valueErrors.length > 0) fieldErrors.valuesYaml = capped(valueErrors);
      }
      if (params.ok) {
        const k8sParam = checkKubernetesVersionParameter(chart.value, params.value);
        if (k8sParam.length > 0) (fieldErrors.parametersJson ??= []).push(...k8sParam);
      }
    }
    if (params.ok) {
      const ttl = params.value.find((p) => p.name === "ttlHours");
      if (ttl && ttl.type === "integer" && ttl.max > input.maxTtlHours)
        (fieldErrors.parametersJson ??= []).push(`parameter "ttlHours": its max (${ttl.max}) exceeds the maximum lifetime (${input.maxTtlHours} h)`);
    }
    if (Object.keys(fieldErrors).length > 0 || !params.ok) throw new AppError("VALIDATION", "Please correct the highlighted fields.", fieldErrors);

    try {
      return await ctx.db.$transaction(async (tx) => {
        const template = await tx.template.findUnique({ where: { slug: input.templateSlug } });
        if (!template) throw notFound("Template");
        const latest = await tx.templateVersion.findFirst({ where: { templateId: template.id }, orderBy: { version: "desc" }, select: { version: true } });
        const version = await tx.templateVersion.create({
          data: {
            templateId: template.id,
            version: (latest?.version ?? 0) + 1,
            description: input.description,
            kubernetesVersion: input.kubernetesVersion,
            chartVersion: input.chartVersion,
            valuesYaml: input.valuesYaml.endsWith("\n") || input.valuesYaml === "" ? input.valuesYaml : `${input.valuesYaml}\n`,
            parameters: params.value as Prisma.InputJsonValue,
            cpuMillicores: input.cpuMillicores,
            memoryMiB: input.memoryMiB,
            defaultTtlHours: input.defaultTtlHours,
            maxTtlHours: input.maxTtlHours,
            approval: input.approval,
            expiryAction: input.expiryAction,
            podSecurityStandard: input.podSecurityStandard,
            isolateNetwork: input.isolateNetwork,
            privileged: input.privileged,
            tenantRole: input.tenantRole,
            createdById: ctx.actor.id === "system" ? null : ctx.actor.id,
          },
        });
        await recordAudit(tx, ctx, {
          action: "template.version.create",
          targetType: "template",
          targetId: template.id,
          details: {
            template: template.slug,
            version: version.version,
            previous: latest?.version ?? null,
            approval: version.approval,
            tenantRole: version.tenantRole,
            privileged: version.privileged,
            // what the privileged mark allowed, for whoever reads the audit log later
            ...(version.privileged && values.ok ? { privilegedKeys: privilegedKeysIn(values.value, input).map((u) => u.path) } : {}),
          },
        });
        return version;
      });
    } catch (e) {
      if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002")
        throw new AppError("CONFLICT", "Someone published a version of this template at the same time. Reload to see it, then try again.");
      throw e;
    }
  },
});

// A pasted vcluster.yaml for the wrong chart can produce hundreds of errors; the first ones show the pattern.
const MAX_VALUES_ERRORS = 20;
function capped(errors: string[]): string[] {
  return errors.length <= MAX_VALUES_ERRORS ? errors : [...errors.slice(0, MAX_VALUES_ERRORS), `…and ${errors.length - MAX_VALUES_ERRORS} more`];
}
