import { z } from "zod";
import { recordAudit } from "@/lib/domain/audit";
import { lockTeam, reservedUsage } from "@/lib/domain/quota";
import { formatCpu, formatMemory } from "@/lib/lifecycle/units";
import { notFound } from "@/lib/errors";
import { defineUseCase } from "@/lib/domain/use-case";

const int = (label: string, min: number, max: number) =>
  z.coerce.number({ error: `${label} must be a number` }).int(`${label} must be a whole number`).min(min, `${label} must be at least ${min}`).max(max, `${label} must be at most ${max}`);

export const ZUpdateTeamQuota = z.object({
  teamId: z.string().min(1),
  maxClusters: int("Clusters", 0, 10_000),
  cpuMillicores: int("CPU", 0, 10_000_000),
  memoryMiB: int("Memory", 0, 100_000_000),
  maxLifetimeHours: int("Maximum lifetime", 1, 8760),
  approvalThresholdPercent: int("Approval threshold", 1, 100),
});
export type TUpdateTeamQuota = z.input<typeof ZUpdateTeamQuota>;

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
      const used = await reservedUsage(tx, teamId);
      const over: string[] = [];
      if (used.clusters > quota.maxClusters) over.push(`${used.clusters}/${quota.maxClusters} clusters`);
      if (used.cpuMillicores > quota.cpuMillicores) over.push(`${formatCpu(used.cpuMillicores)} of ${formatCpu(quota.cpuMillicores)}`);
      if (used.memoryMiB > quota.memoryMiB) over.push(`${formatMemory(used.memoryMiB)} of ${formatMemory(quota.memoryMiB)}`);
      await recordAudit(tx, ctx, { action: "team.quota.update", targetType: "team", targetId: teamId, teamId, details: { before, after: quota } });
      return {
        quota: saved,
        used,
        message:
          over.length > 0
            ? `Quota of ${team.name} saved. It is below current use (${over.join(", ")}): running clusters keep running, new requests are refused until use drops.`
            : `Quota of ${team.name} saved.`,
      };
    });
  },
});
