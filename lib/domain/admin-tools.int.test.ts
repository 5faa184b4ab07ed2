// Integration (real Postgres): the admin tools of the audit log and the template editor — the audit action
// filter by dotted segment with field-level errors and days in the person's time zone, and template text stored with one kind of line end.
import { beforeAll, describe, expect, it } from "vitest";
import { listCatalog } from "@/lib/domain/catalog";
import type { DomainContext } from "@/lib/domain/context";
import { createTemplateVersion } from "@/lib/domain/create-template-version";
import { auditActionNames, listAuditEvents } from "@/lib/domain/list-audit-events";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { actorContext, expectAppError } from "@/scripts/testenv/domain-actors";
import { useTestDatabase } from "@/scripts/testenv/per-file";

const testDb = useTestDatabase({ seeded: true });
let prisma: PrismaClient;
let admin: DomainContext;

beforeAll(async () => {
  prisma = testDb.prisma();
  admin = await actorContext(prisma, "admin@example.com");
  const t0 = Date.UTC(2026, 2, 1);
  const actions = ["cluster.request", "cluster.sleep", "cluster.wake", "cluster.sleep", "cluster.kubeconfig.download", "team.quota.update", "auth.signed_in"];
  await prisma.auditEvent.createMany({
    data: actions.map((action, i) => ({ action, actorEmail: "admin@example.com", targetType: "cluster", targetId: `c${i}`, details: { name: `demo-${i}` }, createdAt: new Date(t0 + i * 60_000) })),
  });
});

const actionsOf = async (action: string) => (await listAuditEvents(admin, { action, from: "2026-03-01", to: "2026-03-01", limit: 200 })).items.map((e) => e.action);

describe("audit action filter", () => {
  it("finds actions by exact id, by any dotted segment and in any case, newest first", async () => {
    expect(await actionsOf("cluster.sleep")).toEqual(["cluster.sleep", "cluster.sleep"]);
    expect(await actionsOf("sleep")).toEqual(["cluster.sleep", "cluster.sleep"]);
    expect(await actionsOf("SLEEP")).toEqual(["cluster.sleep", "cluster.sleep"]);
    expect(await actionsOf("kubeconfig")).toEqual(["cluster.kubeconfig.download"]);
    expect(await actionsOf("cluster")).toEqual(["cluster.kubeconfig.download", "cluster.sleep", "cluster.wake", "cluster.sleep", "cluster.request"]);
    expect(await actionsOf("quota")).toEqual(["team.quota.update"]);
  });

  it("finds nothing for a bare substring or an action that never happened", async () => {
    expect(await actionsOf("lee")).toEqual([]);
    expect(await actionsOf("cluster.explode")).toEqual([]);
  });

  it("lists every action that happened for the picker", async () => {
    expect(await auditActionNames(admin)).toEqual(expect.arrayContaining(["auth.signed_in", "cluster.kubeconfig.download", "cluster.request", "cluster.sleep", "cluster.wake", "team.quota.update"]));
  });

  it("takes From and To as days in the person's time zone", async () => {
    const count = async (day: string, timeZone?: string) => (await listAuditEvents(admin, { from: day, to: day, timeZone, limit: 200 })).items.filter((e) => e.actorEmail === "admin@example.com" && e.targetId?.startsWith("c")).length;
    // 00:00–00:06 UTC on 1 March is still 28 February in New York (UTC−5) and already 09:00 on 1 March in Tokyo.
    expect(await count("2026-03-01")).toBe(7);
    expect(await count("2026-03-01", "America/New_York")).toBe(0);
    expect(await count("2026-02-28", "America/New_York")).toBe(7);
    expect(await count("2026-03-01", "Asia/Tokyo")).toBe(7);
    expect(await count("2026-02-28", "Asia/Tokyo")).toBe(0);
    const zone = await expectAppError(listAuditEvents(admin, { from: "2026-03-01", timeZone: "Mars/Olympus" }), "VALIDATION");
    expect(zone.fieldErrors?.timeZone).toEqual(["Unknown time zone"]);
  });

  it("names the field of each refused filter", async () => {
    const dates = await expectAppError(listAuditEvents(admin, { from: "2026-03-02", to: "2026-03-01" }), "VALIDATION");
    expect(dates.fieldErrors).toEqual({ to: ["The start date is after the end date"] });
    const day = await expectAppError(listAuditEvents(admin, { from: "yesterday" }), "VALIDATION");
    expect(day.fieldErrors?.from).toEqual(["Use a date like 2026-01-31"]);
    const calendar = await expectAppError(listAuditEvents(admin, { to: "2026-02-31" }), "VALIDATION");
    expect(calendar.fieldErrors?.to).toEqual(["Not a valid date"]);
  });
});

describe("template text line endings", () => {
  it("stores values and parameters pasted with \\r\\n with \\n only, and the catalog shows what changed", async () => {
    const before = await prisma.templateVersion.findFirstOrThrow({ where: { template: { slug: "sandbox" } }, orderBy: { version: "desc" } });
    const windows = (s: string) => s.replace(/\n/g, "\r\n");
    const v = await createTemplateVersion(admin, {
      templateSlug: "sandbox",
      description: "Restricted pods",
      kubernetesVersion: before.kubernetesVersion,
      chartVersion: before.chartVersion,
      valuesYaml: windows(`${before.valuesYaml.replace("baseline", "restricted")}# pasted from Windows\n`),
      parametersJson: windows(JSON.stringify(before.parameters, null, 2)),
      cpuMillicores: String(before.cpuMillicores),
      memoryMiB: String(before.memoryMiB),
      defaultTtlHours: String(before.defaultTtlHours),
      maxTtlHours: String(before.maxTtlHours),
      approval: before.approval,
      expiryAction: before.expiryAction,
      podSecurityStandard: "restricted",
    });
    expect(v.valuesYaml).not.toContain("\r");
    expect(v.valuesYaml).toBe(`${before.valuesYaml.replace("baseline", "restricted")}# pasted from Windows\n`);
    expect(v.parameters).toEqual(before.parameters);
    expect((await listCatalog(admin)).find((t) => t.slug === "sandbox")).toMatchObject({ version: v.version, whatChanged: "Restricted pods" });
  });
});
