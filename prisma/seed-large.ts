import type { PrismaClient } from "@/lib/generated/prisma/client";

const TEAMS = 500;
const CLUSTERS = 10_000;
const phases = ["READY", "READY", "READY", "SLEEPING", "PROVISIONING", "PENDING_APPROVAL", "FAILED", "DELETED"] as const;

/** Bulk data for the page benchmarks: 500 teams with one lead each and 10,000 clusters. Idempotent. */
export async function seedLarge(prisma: PrismaClient) {
  const existing = await prisma.team.count({ where: { slug: { startsWith: "bench-" } } });
  if (existing >= TEAMS) {
    console.log("Large data set already present.");
    return;
  }
  const pad = (n: number) => String(n).padStart(3, "0");
  await prisma.team.createMany({
    data: Array.from({ length: TEAMS }, (_, i) => ({ slug: `bench-${pad(i)}`, name: `Bench team ${pad(i)}` })),
    skipDuplicates: true,
  });
  const teams = await prisma.team.findMany({ where: { slug: { startsWith: "bench-" } }, orderBy: { slug: "asc" } });
  await prisma.teamQuota.createMany({
    data: teams.map((t) => ({ teamId: t.id, maxClusters: 40, cpuMillicores: 64000, memoryMiB: 131072 })),
    skipDuplicates: true,
  });
  await prisma.user.createMany({
    data: teams.map((t) => ({ email: `lead.${t.slug}@example.com`, name: `Lead ${t.slug}` })),
    skipDuplicates: true,
  });
  const users = await prisma.user.findMany({ where: { email: { startsWith: "lead.bench-" } }, orderBy: { email: "asc" } });
  await prisma.membership.createMany({
    data: teams.map((t, i) => ({ teamId: t.id, userId: users[i]!.id, role: "LEAD" as const })),
    skipDuplicates: true,
  });
  const host = await prisma.hostCluster.findFirstOrThrow({ orderBy: { createdAt: "asc" } });
  const version = await prisma.templateVersion.findFirstOrThrow({ where: { template: { slug: "sandbox" } } });
  const now = Date.now();
  for (let start = 0; start < CLUSTERS; start += 1000) {
    await prisma.virtualCluster.createMany({
      data: Array.from({ length: 1000 }, (_, j) => {
        const i = start + j;
        const team = teams[i % TEAMS]!;
        const phase = phases[i % phases.length]!;
        const name = `bench-${i}`;
        return {
          name,
          teamId: team.id,
          ownerId: users[i % TEAMS]!.id,
          templateVersionId: version.id,
          parameters: { size: "small", kubernetesVersion: "1.36", ttlHours: 8 },
          cpuMillicores: version.cpuMillicores,
          memoryMiB: version.memoryMiB,
          hostClusterId: host.id,
          namespace: `vc-${team.slug}-${name}`,
          releaseName: name,
          phase,
          desiredState: phase === "DELETED" ? ("DELETED" as const) : phase === "SLEEPING" ? ("SLEEPING" as const) : ("RUNNING" as const),
          // Far in the future so the worker leaves the benchmark's rows alone.
          nextReconcileAt: new Date(now + 365 * 24 * 3600_000),
          expiresAt: new Date(now + ((i % 48) + 1) * 3600_000),
          createdAt: new Date(now - i * 60_000),
        };
      }),
      skipDuplicates: true,
    });
  }
  console.log(`Large data set: ${TEAMS} teams, ${CLUSTERS} clusters.`);
}
