// Integration: extending a cluster respects the template's and the team's maximum lifetime (TeamQuota).
import { format } from "date-fns";
import { beforeAll, describe, expect, it } from "vitest";
import { extendCluster } from "@/lib/domain/extend-cluster";
import { getClusterStatus } from "@/lib/domain/get-cluster-detail";
import { requestCluster } from "@/lib/domain/request-cluster";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { actorContext, expectAppError } from "@/scripts/testenv/domain-actors";
import { useTestDatabase } from "@/scripts/testenv/per-file";

const testDb = useTestDatabase({ seeded: true });
let prisma: PrismaClient;
const H = 3600_000;

beforeAll(() => {
  prisma = testDb.prisma();
});

/** The limit texts a call made between t0 and t1 may have produced (its clock read falls in between). */
function untilTexts(t0: number, t1: number, hours: number): string[] {
  const texts: string[] = [];
  for (let t = t0; t <= t1 + 1000; t += 1000) texts.push(`you can extend until ${format(t + hours * H, "PPpp")}`);
  return texts;
}

describe("extendCluster and the team's maximum lifetime", () => {
  it("refuses past the team's limit, saying which limit and the latest allowed time; allows up to it", async () => {
    const owner = await actorContext(prisma, "dev.payments@example.com");
    const team = await prisma.team.findUniqueOrThrow({ where: { slug: "payments" } });
    const c = await requestCluster(owner, { teamId: team.id, templateSlug: "sandbox", name: "extend-team-limit" }); // 8 h; template max 24 h
    const { maxLifetimeHours: before } = await prisma.teamQuota.findUniqueOrThrow({ where: { teamId: team.id } });
    await prisma.teamQuota.update({ where: { teamId: team.id }, data: { maxLifetimeHours: 10 } });
    try {
      // The cluster page offers only what the team allows (a little under 8 h left, at most 10 h from now → 2).
      expect((await getClusterStatus(owner, c.id)).maxExtendHours).toBe(2);

      const t0 = Date.now();
      const e = await expectAppError(extendCluster(owner, { clusterId: c.id, hours: 3 }), "VALIDATION");
      const t1 = Date.now();
      const text = e.fieldErrors?.hours?.[0] ?? "";
      expect(text).toMatch(/^Your team's clusters live at most 10 hours from now \(the team's maximum lifetime\): you can extend until /);
      expect(untilTexts(t0, t1, 10).some((u) => text.endsWith(u)), text).toBe(true);
      expect((await prisma.virtualCluster.findUniqueOrThrow({ where: { id: c.id } })).expiresAt).toEqual(c.expiresAt);

      const ok = await extendCluster(owner, { clusterId: c.id, hours: 2 });
      expect(ok.expiresAt!.getTime()).toBe(c.expiresAt!.getTime() + 2 * H);
      expect(ok.expiresAt!.getTime()).toBeLessThanOrEqual(Date.now() + 10 * H);
    } finally {
      await prisma.teamQuota.update({ where: { teamId: team.id }, data: { maxLifetimeHours: before } });
    }
  });

  it("names the template's limit when that one is tighter", async () => {
    const owner = await actorContext(prisma, "dev.payments@example.com");
    const team = await prisma.team.findUniqueOrThrow({ where: { slug: "payments" } });
    const c = await requestCluster(owner, { teamId: team.id, templateSlug: "sandbox", name: "extend-template-limit" });
    const t0 = Date.now();
    const e = await expectAppError(extendCluster(owner, { clusterId: c.id, hours: 20 }), "VALIDATION");
    const t1 = Date.now();
    const text = e.fieldErrors?.hours?.[0] ?? "";
    expect(text).toMatch(/^Sandbox clusters live at most 24 hours from now \(the template's maximum lifetime\): you can extend until /);
    expect(untilTexts(t0, t1, 24).some((u) => text.endsWith(u)), text).toBe(true);
    expect((await getClusterStatus(owner, c.id)).maxExtendHours).toBe(16);
  });
});
