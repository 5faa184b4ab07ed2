import { z } from "zod";
import { recordAudit } from "@/lib/domain/audit";
import { lockTeam, teamUsage } from "@/lib/domain/quota";
import { quotaLines, reservedBy, usageLabel } from "@/lib/lifecycle/quota";
import { QUOTA_BOUNDS } from "@/lib/lifecycle/quota-settings";
import { notFound } from "@/lib/errors";
import { defineUseCase } from "@/lib/domain/use-case";

const int = (label: string, min: number, max: number) =>
  z.coerce.number({ error: `${label} must be a number` }).int(`${label} must be a whole number`).min(min, `${label} must be at least ${min}`).max(max, `${label} must be at most ${max}`);

/** In stored units (millicores, MiB); the quota dialog speaks cores and GiB (lib/lifecycle/quota-settings.ts). */
export const ZUpdateTeamQuota = z.object({
  teamId: z.string().min(1),
  maxClusters: int("Clusters", QUOTA_BOUNDS.maxClusters.min, QUOTA_BOUNDS.maxClusters.max),
  cpuMillicores: int("CPU", QUOTA_BOUNDS.cpuCores.min * 1000, QUOTA_BOUNDS.cpuCores.max * 1000),
  memoryMiB: int("Memory", QUOTA_BOUNDS.memoryGiB.min * 1024, QUOTA_BOUNDS.memoryGiB.max * 1024),
  maxLifetimeHours: int("Maximum lifetime", QUOTA_BOUNDS.maxLifetimeHours.min, QUOTA_BOUNDS.maxLifetimeHours.max),
  approvalThresholdPercent: int("Approval threshold", QUOTA_BOUNDS.approvalThresholdPercent.min, QUOTA_BOUNDS.approvalThresholdPercent.max),
});
export type TUpdateTeamQuota = z.input<typeof ZUpdateTeamQuota>;

const RESOURCES = [
  ["clusters", "clusters"],
  ["cpuMillicores", "CPU"],
  ["memoryMiB", "memory"],
] as const;

/**
 * An admin sets a team's quota. Lowering it below current use is allowed (running clusters keep running;
 * new requests are refused until use drops) and the result says so. Serialized with requests via the team lock.
 */
export const updateTeamQuota = defineUseCase({
  name: "team.update-quota",
  input: ZUpdateTeamQuota,
  permission: { action: "team.manage", refusal: "Only admins can change quotas." },
  run: async (ctx, { teamId, ...quota }) => {
    return ctx.db.$transaction(async (tx) => {
      const team = await tx.team.findUnique({ where: { id: teamId }, include: { quota: true } });
      if (!team) throw notFound("Team");
      await lockTeam(tx, team.id);
      const before = team.quota
        ? { maxClusters: team.quota.maxClusters, cpuMillicores: team.quota.cpuMillicores, memoryMiB: team.quota.memoryMiB, maxLifetimeHours: team.quota.maxLifetimeHours, approvalThresholdPercent: team.quota.approvalThresholdPercent }
        : null;
      const saved = await tx.teamQuota.upsert({ where: { teamId }, update: quota, create: { teamId, ...quota } });
      const usage = await teamUsage(tx, teamId);
      const limits = { clusters: quota.maxClusters, cpuMillicores: quota.cpuMillicores, memoryMiB: quota.memoryMiB };
      const lines = quotaLines(usage, limits);
      const held = reservedBy(usage);
      // Waiting requests count too: they hold their share of the quota until an admin decides on them.
      const over = RESOURCES.filter(([r]) => held[r] > limits[r]).map(([r, name]) => `${name}: ${usageLabel(r, lines[r])}`);
      await recordAudit(tx, ctx, { action: "team.quota.update", targetType: "team", targetId: teamId, teamId, details: { before, after: quota } });
      return {
        quota: saved,
        usage,
        message:
          over.length > 0
            ? `Quota of ${team.name} saved. It is below current use (${over.join("; ")}): running clusters keep running, new requests are refused until use drops.`
            : `Quota of ${team.name} saved.`,
      };
    });
  },
});
