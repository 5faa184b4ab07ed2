import { createPrisma } from "@/lib/db/client";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { seedHostCluster, seedTeams, seedTemplates, seedUsers } from "./seed-data";
import { seedLarge } from "./seed-large";

// Idempotent: running it twice leaves the same rows. `-- --large` adds 500 teams and 10,000 clusters for benchmarks.

async function seed(prisma: PrismaClient) {
  for (const t of seedTeams) {
    const team = await prisma.team.upsert({ where: { slug: t.slug }, update: { name: t.name }, create: { slug: t.slug, name: t.name } });
    await prisma.teamQuota.upsert({ where: { teamId: team.id }, update: t.quota, create: { teamId: team.id, ...t.quota } });
  }
  for (const u of seedUsers) {
    const user = await prisma.user.upsert({
      where: { email: u.email },
      update: { name: u.name, isAdmin: u.isAdmin },
      create: { email: u.email, name: u.name, isAdmin: u.isAdmin },
    });
    for (const m of u.teams) {
      const team = await prisma.team.findUniqueOrThrow({ where: { slug: m.slug } });
      await prisma.membership.upsert({
        where: { userId_teamId: { userId: user.id, teamId: team.id } },
        update: { role: m.role },
        create: { userId: user.id, teamId: team.id, role: m.role },
      });
    }
  }
  await prisma.hostCluster.upsert({ where: { name: seedHostCluster.name }, update: {}, create: seedHostCluster });
  for (const t of seedTemplates) {
    const template = await prisma.template.upsert({
      where: { slug: t.slug },
      update: {},
      create: { slug: t.slug, name: t.name, description: t.description },
    });
    // Versions are immutable: version 1 when the template has none; a new version when the seeded definition
    // changed since (e.g. a chart upgrade), so an existing .data database follows without losing its clusters.
    const latest = await prisma.templateVersion.findFirst({ where: { templateId: template.id }, orderBy: { version: "desc" } });
    if (!latest) await prisma.templateVersion.create({ data: { templateId: template.id, version: 1, description: "Initial version", ...t.version } });
    else if (latest.createdById === null && seededDefinitionChanged(latest, t.version)) {
      await prisma.templateVersion.create({ data: { templateId: template.id, version: latest.version + 1, description: "Updated by the seed", ...t.version } });
    }
  }
}

/** Compares field by field with object keys sorted (jsonb does not keep key order). */
function seededDefinitionChanged(latest: Record<string, unknown>, wanted: Record<string, unknown>): boolean {
  const canonical = (v: unknown): string =>
    JSON.stringify(v, (_, x: unknown) => (x && typeof x === "object" && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => a.localeCompare(b))) : x));
  return Object.entries(wanted).some(([k, v]) => canonical(latest[k]) !== canonical(v));
}

const prisma = createPrisma(process.env.DATABASE_URL);
try {
  await seed(prisma);
  if (process.argv.includes("--large")) await seedLarge(prisma);
  console.log(`Seeded: ${seedUsers.map((u) => u.email).join(", ")}; teams ${seedTeams.map((t) => t.slug).join(", ")}; templates ${seedTemplates.map((t) => t.slug).join(", ")}.`);
} finally {
  await prisma.$disconnect();
}
