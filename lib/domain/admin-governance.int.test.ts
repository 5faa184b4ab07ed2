// Integration: the admin pages' use cases (all-clusters, audit log, templates, quotas, hosts) against a real Postgres.
import { beforeAll, describe, expect, it } from "vitest";
import { listCatalog } from "@/lib/domain/catalog";
import { createTemplateVersion, type TCreateTemplateVersion } from "@/lib/domain/create-template-version";
import { deprecateTemplateVersion } from "@/lib/domain/deprecate-template-version";
import { decodeCursor } from "@/lib/domain/keyset-cursor";
import { listAllClusters } from "@/lib/domain/list-all-clusters";
import { auditActionNames, listAuditEvents } from "@/lib/domain/list-audit-events";
import { listHosts } from "@/lib/domain/list-hosts";
import { listTeams } from "@/lib/domain/list-teams";
import { getTemplateWithVersions, listTemplates } from "@/lib/domain/list-templates";
import { requestCluster } from "@/lib/domain/request-cluster";
import { removeHostLicence } from "@/lib/domain/remove-host-licence";
import { setHostEnabled } from "@/lib/domain/set-host-enabled";
import { setHostLicence } from "@/lib/domain/set-host-licence";
import { platformLicenceOf } from "@/lib/domain/spec-from-row";
import { updateTeamQuota } from "@/lib/domain/update-team-quota";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { DomainContext } from "@/lib/domain/context";
import { actorContext, expectAppError } from "@/scripts/testenv/domain-actors";
import { useTestDatabase } from "@/scripts/testenv/per-file";

const testDb = useTestDatabase({ seeded: true });
const ctxFor = (email: string) => actorContext(prisma, email);
let prisma: PrismaClient;
const teams: Record<string, string> = {};
let admin: DomainContext;



beforeAll(async () => {
  prisma = testDb.prisma();
  for (const t of await prisma.team.findMany()) teams[t.slug] = t.id;
  admin = await ctxFor("admin@example.com");
  // 30 clusters over three teams, with distinct and with equal creation times (ties break on id).
  const owner = await prisma.user.findUniqueOrThrow({ where: { email: "dev.payments@example.com" } });
  const other = await prisma.user.findUniqueOrThrow({ where: { email: "dev.search@example.com" } });
  const sandbox = await prisma.templateVersion.findFirstOrThrow({ where: { template: { slug: "sandbox" } } });
  const ci = await prisma.templateVersion.findFirstOrThrow({ where: { template: { slug: "ci-ephemeral" } } });
  const t0 = Date.UTC(2026, 0, 1);
  await prisma.virtualCluster.createMany({
    data: Array.from({ length: 30 }, (_, i) => ({
      name: `seed-${String(i).padStart(2, "0")}`,
      teamId: i % 3 === 0 ? teams.search! : teams.platform!,
      ownerId: i % 3 === 0 ? other.id : owner.id,
      templateVersionId: i % 5 === 0 ? ci.id : sandbox.id,
      cpuMillicores: 1000,
      memoryMiB: 2048,
      phase: i % 4 === 0 ? ("DELETED" as const) : ("READY" as const),
      createdAt: new Date(t0 + Math.floor(i / 2) * 60_000),
      nextReconcileAt: new Date("9999-01-01T00:00:00Z"),
    })),
  });
});

describe("all clusters (admin)", () => {
  it("pages newest first through every row exactly once, both ways", async () => {
    const total = await prisma.virtualCluster.count();
    const seen: string[] = [];
    let after: string | undefined;
    const pages: { newer: string | null; ids: string[] }[] = [];
    do {
      const p = await listAllClusters(admin, { limit: 7, after });
      pages.push({ newer: p.newerCursor, ids: p.items.map((c) => c.id) });
      seen.push(...p.items.map((c) => c.id));
      after = p.olderCursor ?? undefined;
    } while (after);
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
    const rows = await prisma.virtualCluster.findMany({ orderBy: [{ createdAt: "desc" }, { id: "desc" }], select: { id: true } });
    expect(seen).toEqual(rows.map((r) => r.id));
    // Going back from the last page gives the page before it.
    const last = pages.at(-1)!;
    const back = await listAllClusters(admin, { limit: 7, before: last.newer! });
    expect(back.items.map((c) => c.id)).toEqual(pages.at(-2)!.ids);
    expect(decodeCursor(back.olderCursor!).id).toBe(pages.at(-2)!.ids.at(-1));
  });

  it("filters by team, phase, owner, template and name", async () => {
    const bySearch = await listAllClusters(admin, { team: "search", limit: 100 });
    expect(bySearch.items.length).toBe(10);
    expect(bySearch.items.every((c) => c.team.slug === "search")).toBe(true);
    const deleted = await listAllClusters(admin, { phase: "DELETED", limit: 100 });
    expect(deleted.items.every((c) => c.phase === "DELETED")).toBe(true);
    expect(deleted.items).toHaveLength(8);
    const live = await listAllClusters(admin, { phase: "live", limit: 100 });
    expect(live.items.some((c) => c.phase === "DELETED")).toBe(false);
    const mine = await listAllClusters(admin, { owner: "DEV.SEARCH@example.com", limit: 100 });
    expect(mine.items.every((c) => c.owner.email === "dev.search@example.com")).toBe(true);
    const ci = await listAllClusters(admin, { template: "ci-ephemeral", limit: 100 });
    expect(ci.items.map((c) => c.name).sort()).toEqual(["seed-00", "seed-05", "seed-10", "seed-15", "seed-20", "seed-25"]);
    const named = await listAllClusters(admin, { q: "SEED-1", limit: 100 });
    expect(named.items).toHaveLength(10);
    const combined = await listAllClusters(admin, { team: "search", phase: "READY", template: "sandbox", q: "seed", limit: 100 });
    expect(combined.items.every((c) => c.team.slug === "search" && c.phase === "READY" && c.templateVersion.template.slug === "sandbox")).toBe(true);
    expect((await listAllClusters(admin, { team: "nope" })).items).toEqual([]);
    expect((await listAllClusters(admin, { owner: "nobody@example.com" })).items).toEqual([]);
    // Blank URL params mean no filter.
    expect((await listAllClusters(admin, { team: "", phase: "", q: " ", limit: "" })).items.length).toBeGreaterThan(0);
  });

  it("refuses non-admins, bad phases and tampered cursors", async () => {
    await expectAppError(listAllClusters(await ctxFor("lead.payments@example.com"), {}), "FORBIDDEN");
    await expectAppError(listAllClusters(admin, { phase: "RUNNING" }), "VALIDATION");
    await expectAppError(listAllClusters(admin, { after: "garbage" }), "VALIDATION");
  });
});

describe("templates (admin)", () => {
  const base = (over: Partial<TCreateTemplateVersion> = {}): TCreateTemplateVersion => ({
    templateSlug: "sandbox",
    description: "restricted pods",
    kubernetesVersion: "1.36",
    chartVersion: "0.36.1",
    valuesYaml: "controlPlane:\n  backingStore:\n    database:\n      embedded:\n        enabled: true\npolicies:\n  podSecurityStandard: restricted",
    parametersJson: JSON.stringify([{ name: "size", label: "Size", type: "enum", options: ["small", "medium"], default: "small" }, { name: "ttlHours", label: "Lifetime", type: "integer", min: 1, max: 24, default: 4 }]),
    cpuMillicores: "1000",
    memoryMiB: "2048",
    defaultTtlHours: "4",
    maxTtlHours: "24",
    approval: "AUTO",
    expiryAction: "DELETE",
    podSecurityStandard: "restricted",
    isolateNetwork: "true",
    ...over,
  });

  it("validates YAML and parameters before writing anything", async () => {
    const count = await prisma.templateVersion.count();
    const yaml = await expectAppError(createTemplateVersion(admin, base({ valuesYaml: "a: [\n" })), "VALIDATION");
    expect(yaml.fieldErrors?.valuesYaml?.[0]).toBeTruthy();
    const params = await expectAppError(createTemplateVersion(admin, base({ parametersJson: '[{"name":"size","label":"Size","type":"enum","options":["small"],"default":"big"}]' })), "VALIDATION");
    expect(params.fieldErrors?.parametersJson).toEqual(['parameter "size" (default): default "big" is not one of the options']);
    const ttl = await expectAppError(createTemplateVersion(admin, base({ maxTtlHours: "12" })), "VALIDATION");
    expect(ttl.fieldErrors?.parametersJson?.[0]).toContain("ttlHours");
    const order = await expectAppError(createTemplateVersion(admin, base({ defaultTtlHours: "48" })), "VALIDATION");
    expect(order.fieldErrors?.defaultTtlHours).toBeDefined();
    await expectAppError(createTemplateVersion(await ctxFor("lead.payments@example.com"), base()), "FORBIDDEN");
    await expectAppError(createTemplateVersion(admin, base({ templateSlug: "nope" })), "NOT_FOUND");
    expect(await prisma.templateVersion.count()).toBe(count);
  });

  it("checks the values against the pinned chart version and refuses licensed features", async () => {
    const count = await prisma.templateVersion.count();
    const licensed = await expectAppError(createTemplateVersion(admin, base({ valuesYaml: "controlPlane:\n  backingStore:\n    etcd:\n      embedded:\n        enabled: true\n" })), "VALIDATION");
    expect(licensed.fieldErrors?.valuesYaml).toEqual([
      "controlPlane.backingStore.etcd.embedded: embedded etcd is a licensed vCluster feature (needs vCluster Platform); use controlPlane.backingStore.database.embedded (SQLite) or deployed etcd",
    ]);
    const typo = await expectAppError(createTemplateVersion(admin, base({ valuesYaml: "controlPlane:\n  backingStore:\n    etcd:\n      embeded:\n        enabled: true\n" })), "VALIDATION");
    expect(typo.fieldErrors?.valuesYaml).toEqual(["controlPlane.backingStore.etcd.embeded: unknown key (not in the chart 0.36.1 values schema)"]);
    const removed = await expectAppError(createTemplateVersion(admin, base({ valuesYaml: "controlPlane:\n  distro:\n    k3s:\n      enabled: true\n" })), "VALIDATION");
    expect(removed.fieldErrors?.valuesYaml).toEqual(["controlPlane.distro.k3s: unknown key (not in the chart 0.36.1 values schema)"]);
    const chart = await expectAppError(createTemplateVersion(admin, base({ chartVersion: "0.99.0" })), "VALIDATION");
    expect(chart.fieldErrors?.chartVersion).toEqual(["vCluster chart 0.99.0 is not supported here; supported: 0.30.0, 0.36.1"]);
    const k8s = await expectAppError(createTemplateVersion(admin, base({ chartVersion: "0.30.0" })), "VALIDATION");
    expect(k8s.fieldErrors?.kubernetesVersion).toEqual(["Kubernetes 1.36 is not available with vCluster chart 0.30.0; choose 1.34, 1.33, 1.32"]);
    const param = JSON.stringify([{ name: "kubernetesVersion", label: "Kubernetes", type: "enum", options: ["1.34", "1.31"], default: "1.34" }]);
    const option = await expectAppError(createTemplateVersion(admin, base({ parametersJson: param })), "VALIDATION");
    expect(option.fieldErrors?.parametersJson?.[0]).toContain("1.31 not available with vCluster chart 0.36.1");
    expect(await prisma.templateVersion.count()).toBe(count);
  });

  it("publishes previous + 1 with an audit event, and requests then use it", async () => {
    const v = await createTemplateVersion(admin, base());
    expect(v).toMatchObject({ version: 2, podSecurityStandard: "restricted", isolateNetwork: true, defaultTtlHours: 4 });
    expect(v.valuesYaml.endsWith("\n")).toBe(true);
    expect(await prisma.auditEvent.count({ where: { action: "template.version.create", details: { path: ["version"], equals: 2 } } })).toBe(1);
    const t = await getTemplateWithVersions(admin, "sandbox");
    expect(t.versions.map((x) => x.version)).toEqual([2, 1]);
    expect((await createTemplateVersion(admin, base({ description: "again" }))).version).toBe(3);
    const list = await listTemplates(admin);
    expect(list.find((x) => x.slug === "sandbox")).toMatchObject({ versionCount: 3, current: { version: 3 } });
  });

  it("deprecates versions but never the last requestable one, and can restore", async () => {
    await deprecateTemplateVersion(admin, { templateSlug: "sandbox", version: 3 });
    await deprecateTemplateVersion(admin, { templateSlug: "sandbox", version: 2 });
    const dev = await ctxFor("dev.payments@example.com");
    const c = await requestCluster(dev, { teamId: teams.payments!, templateSlug: "sandbox", name: "after-deprecate" });
    expect((await prisma.templateVersion.findUniqueOrThrow({ where: { id: c.templateVersionId } })).version).toBe(1);
    const e = await expectAppError(deprecateTemplateVersion(admin, { templateSlug: "sandbox", version: 1 }), "PRECONDITION_FAILED");
    expect(e.message).toContain("only requestable version");
    const restored = await deprecateTemplateVersion(admin, { templateSlug: "sandbox", version: "3", deprecated: "false" });
    expect(restored.deprecated).toBe(false);
    expect(await prisma.auditEvent.count({ where: { action: { in: ["template.version.deprecate", "template.version.restore"] } } })).toBe(3);
    await expectAppError(deprecateTemplateVersion(admin, { templateSlug: "sandbox", version: 99 }), "NOT_FOUND");
    await expectAppError(deprecateTemplateVersion(dev, { templateSlug: "sandbox", version: 2 }), "FORBIDDEN");
  });

  it("refuses settings that widen host privileges unless an admin marks the version privileged, shown in the catalog and the audit log", async () => {
    const count = await prisma.templateVersion.count();
    const values = [
      "controlPlane:",
      "  backingStore: { database: { embedded: { enabled: true } } }",
      "  statefulSet:",
      "    security:",
      "      containerSecurityContext: { privileged: true }",
      "rbac:",
      "  clusterRole:",
      '    extraRules: [{ apiGroups: [""], resources: [nodes], verbs: [get] }]',
      "",
    ].join("\n");
    const refused = await expectAppError(createTemplateVersion(admin, base({ valuesYaml: values })), "VALIDATION");
    expect(refused.fieldErrors?.valuesYaml).toEqual([
      "controlPlane.statefulSet.security.containerSecurityContext: sets the control plane container's security context on the host (privileged, capabilities, user). This widens host privileges; mark the version privileged (admins only) to publish it.",
      "rbac.clusterRole.extraRules: adds host-wide rules to the control plane's ClusterRole. This widens host privileges; mark the version privileged (admins only) to publish it.",
    ]);
    const pss = await expectAppError(createTemplateVersion(admin, base({ podSecurityStandard: "privileged" })), "VALIDATION");
    expect(pss.fieldErrors?.podSecurityStandard).toEqual([
      "podSecurityStandard: the host namespace then admits privileged pods, i.e. access to its nodes. This widens host privileges; mark the version privileged (admins only) to publish it.",
    ]);
    await expectAppError(createTemplateVersion(await ctxFor("lead.payments@example.com"), base({ valuesYaml: values, privileged: true })), "FORBIDDEN");
    expect(await prisma.templateVersion.count()).toBe(count);

    const v = await createTemplateVersion(admin, base({ valuesYaml: values, privileged: "true" }));
    expect(v.privileged).toBe(true);
    const audit = await prisma.auditEvent.findFirstOrThrow({ where: { action: "template.version.create", targetId: v.templateId }, orderBy: { createdAt: "desc" } });
    expect(audit.details).toMatchObject({
      version: v.version,
      privileged: true,
      privilegedKeys: ["controlPlane.statefulSet.security.containerSecurityContext", "rbac.clusterRole.extraRules"],
    });
    expect((await listCatalog(admin)).find((t) => t.slug === "sandbox")).toMatchObject({ version: v.version, privileged: true });
    // an ordinary version is recorded as not privileged
    const plain = await createTemplateVersion(admin, base({ description: "back to plain" }));
    expect(plain.privileged).toBe(false);
    const plainAudit = await prisma.auditEvent.findFirstOrThrow({ where: { action: "template.version.create", targetId: v.templateId }, orderBy: { createdAt: "desc" } });
    expect(plainAudit.details).toMatchObject({ version: plain.version, privileged: false });
    expect((await listCatalog(admin)).find((t) => t.slug === "sandbox")).toMatchObject({ version: plain.version, privileged: false });
  });
});

describe("teams, quotas and hosts (admin)", () => {
  it("updates a quota with an audit trail and says when it is below current use", async () => {
    const ok = await updateTeamQuota(admin, { teamId: teams.payments!, maxClusters: 6, cpuMillicores: 9000, memoryMiB: 20480, maxLifetimeHours: 168, approvalThresholdPercent: 80 });
    expect(ok.message).toBe("Quota of Payments saved.");
    expect(await prisma.teamQuota.findUniqueOrThrow({ where: { teamId: teams.payments! } })).toMatchObject({ maxClusters: 6, approvalThresholdPercent: 80 });
    const audit = await prisma.auditEvent.findFirstOrThrow({ where: { action: "team.quota.update", teamId: teams.payments! } });
    expect(audit.details).toMatchObject({ before: { maxClusters: 5 }, after: { maxClusters: 6 } });
    const low = await updateTeamQuota(admin, { teamId: teams.platform!, maxClusters: 1, cpuMillicores: 1000, memoryMiB: 1024, maxLifetimeHours: 24, approvalThresholdPercent: 100 });
    expect(low.message).toContain("below current use");
    const bad = await expectAppError(updateTeamQuota(admin, { teamId: teams.payments!, maxClusters: -1, cpuMillicores: "x", memoryMiB: 1, maxLifetimeHours: 0, approvalThresholdPercent: 101 }), "VALIDATION");
    expect(Object.keys(bad.fieldErrors ?? {}).sort()).toEqual(["approvalThresholdPercent", "cpuMillicores", "maxClusters", "maxLifetimeHours"]);
    await expectAppError(updateTeamQuota(await ctxFor("lead.payments@example.com"), { teamId: teams.payments!, maxClusters: 50, cpuMillicores: 1, memoryMiB: 1, maxLifetimeHours: 1, approvalThresholdPercent: 100 }), "FORBIDDEN");
  });

  it("lists teams with usage, searchable and paged by slug", async () => {
    const all = await listTeams(admin, {});
    expect(all.items.map((t) => t.slug)).toEqual(["payments", "platform", "search"]);
    expect(all.items.find((t) => t.slug === "platform")!.usage.inUse.clusters).toBe(15);
    const page = await listTeams(admin, { limit: 2 });
    expect(page.nextAfter).toBe("platform");
    expect((await listTeams(admin, { after: page.nextAfter! })).items.map((t) => t.slug)).toEqual(["search"]);
    expect((await listTeams(admin, { q: "PAY" })).items.map((t) => t.slug)).toEqual(["payments"]);
  });

  it("enables and disables hosts, lists them with their virtual clusters and never exposes kubeconfigs", async () => {
    const [host] = await listHosts(admin);
    expect(host).toBeDefined();
    expect(host).not.toHaveProperty("kubeconfigEncrypted");
    expect(host!.used.clusters).toBe(await prisma.virtualCluster.count({ where: { hostClusterId: host!.id, phase: { notIn: ["DELETED", "REJECTED", "EXPIRED"] } } }));
    const off = await setHostEnabled(admin, { hostId: host!.id, enabled: "false" });
    expect(off.enabled).toBe(false);
    const dev = await ctxFor("dev.payments@example.com");
    await expectAppError(requestCluster(dev, { teamId: teams.payments!, templateSlug: "ci-ephemeral", name: "no-host" }), "UNAVAILABLE");
    await setHostEnabled(admin, { hostId: host!.id, enabled: true });
    await setHostEnabled(admin, { hostId: host!.id, enabled: true }); // no-op, no audit
    expect(await prisma.auditEvent.count({ where: { action: { in: ["host.enable", "host.disable"] } } })).toBe(2);
    await expectAppError(setHostEnabled(dev, { hostId: host!.id, enabled: false }), "FORBIDDEN");
  });

  it("gives a host a vCluster Platform licence: validated, the key stored encrypted and never listed or audited, then removed", async () => {
    const [host] = await listHosts(admin);
    const hostId = host!.id;
    expect(host!.licence).toBeNull();
    const dev = await ctxFor("dev.payments@example.com");
    const lead = await ctxFor("lead.payments@example.com");
    for (const who of [dev, lead]) await expectAppError(setHostLicence(who, { hostId, platformHost: "platform.example.com", accessKey: "k" }), "FORBIDDEN");
    await expectAppError(removeHostLicence(dev, { hostId }), "FORBIDDEN");

    const bad = await expectAppError(setHostLicence(admin, { hostId, platformHost: "https://platform.example.com/login", accessKey: "has space", project: "Payments Team" }), "VALIDATION");
    expect(Object.keys(bad.fieldErrors ?? {}).sort()).toEqual(["accessKey", "platformHost", "project"]);
    expect(bad.fieldErrors!.platformHost![0]).toMatch(/no path/);
    // No key yet: one must be given.
    expect((await expectAppError(setHostLicence(admin, { hostId, platformHost: "platform.example.com" }), "VALIDATION")).fieldErrors).toHaveProperty("accessKey");
    await expectAppError(setHostLicence(admin, { hostId: "no-such-host", platformHost: "platform.example.com", accessKey: "k" }), "NOT_FOUND");

    const secretKey = "secret-access-key-4f9a";
    await setHostLicence(admin, { hostId, platformHost: "https://platform.example.com:8443/", accessKey: secretKey, insecure: "on" });
    let row = await prisma.hostCluster.findUniqueOrThrow({ where: { id: hostId } });
    expect(row).toMatchObject({ platformHost: "platform.example.com:8443", platformProject: "default", platformInsecure: true });
    expect(row.platformAccessKeyEncrypted).not.toContain(secretKey);
    expect(platformLicenceOf(row)).toEqual({ host: "platform.example.com:8443", accessKey: secretKey, project: "default", insecure: true });
    const listed = (await listHosts(admin)).find((h) => h.id === hostId)!;
    expect(listed.licence).toEqual({ platformHost: "platform.example.com:8443", project: "default", insecure: true });
    expect(JSON.stringify(listed)).not.toContain(row.platformAccessKeyEncrypted);

    // A new project without a new key keeps the stored key.
    await setHostLicence(admin, { hostId, platformHost: "platform.example.com:8443", project: "payments", accessKey: "" });
    row = await prisma.hostCluster.findUniqueOrThrow({ where: { id: hostId } });
    expect(platformLicenceOf(row)).toMatchObject({ accessKey: secretKey, project: "payments", insecure: false });

    const audits = await prisma.auditEvent.findMany({ where: { action: { in: ["host.licence.set", "host.licence.remove"] } }, orderBy: { createdAt: "asc" } });
    expect(audits.map((a) => [a.action, (a.details as { newAccessKey?: boolean }).newAccessKey])).toEqual([
      ["host.licence.set", true],
      ["host.licence.set", false],
    ]);
    expect(JSON.stringify(audits)).not.toContain(secretKey);

    expect(await removeHostLicence(admin, { hostId })).toEqual({ name: host!.name, removed: true });
    expect(await removeHostLicence(admin, { hostId })).toEqual({ name: host!.name, removed: false });
    row = await prisma.hostCluster.findUniqueOrThrow({ where: { id: hostId } });
    expect(row).toMatchObject({ platformHost: null, platformAccessKeyEncrypted: null, platformProject: null, platformInsecure: false });
    expect(platformLicenceOf(row)).toBeNull();
    expect(await prisma.auditEvent.count({ where: { action: "host.licence.remove" } })).toBe(1);
  });
});

describe("audit log (admin)", () => {
  it("filters by actor, team, action and date, newest first, with keyset paging", async () => {
    const all = await listAuditEvents(admin, { limit: 200 });
    expect(all.items.length).toBeGreaterThan(5);
    const times = all.items.map((e) => e.createdAt.getTime());
    expect([...times].sort((a, b) => b - a)).toEqual(times);

    const byActor = await listAuditEvents(admin, { actor: "admin@example.com", limit: 200 });
    expect(byActor.items.length).toBeGreaterThan(0);
    expect(byActor.items.every((e) => e.actorEmail === "admin@example.com")).toBe(true);
    const byTeam = await listAuditEvents(admin, { team: "payments", limit: 200 });
    expect(byTeam.items.every((e) => e.team?.slug === "payments")).toBe(true);
    const byAction = await listAuditEvents(admin, { action: "team.quota.update" });
    // Whole segments, not exact ids: "quota" and "team.quota" find it too; a bare substring does not.
    expect((await listAuditEvents(admin, { action: "quota" })).items.map((e) => e.id)).toEqual(byAction.items.map((e) => e.id));
    expect((await listAuditEvents(admin, { action: "team.quota" })).items.map((e) => e.id)).toEqual(byAction.items.map((e) => e.id));
    expect((await listAuditEvents(admin, { action: "uota" })).items).toHaveLength(0);
    expect(byAction.items).toHaveLength(2);
    const today = new Date().toISOString().slice(0, 10);
    expect((await listAuditEvents(admin, { from: today, to: today, limit: 200 })).items).toHaveLength(all.items.length);
    expect((await listAuditEvents(admin, { to: "2000-01-01" })).items).toEqual([]);
    await expectAppError(listAuditEvents(admin, { from: "2026-02-01", to: "2026-01-01" }), "VALIDATION");
    await expectAppError(listAuditEvents(admin, { from: "yesterday" }), "VALIDATION");

    const p1 = await listAuditEvents(admin, { limit: 3 });
    const p2 = await listAuditEvents(admin, { limit: 3, after: p1.olderCursor! });
    expect(p2.items.map((e) => e.id)).toEqual(all.items.slice(3, 6).map((e) => e.id));
    expect((await listAuditEvents(admin, { limit: 3, before: p2.newerCursor! })).items.map((e) => e.id)).toEqual(p1.items.map((e) => e.id));

    expect(await auditActionNames(admin)).toEqual(expect.arrayContaining(["cluster.request", "team.quota.update", "template.version.create"]));
    await expectAppError(listAuditEvents(await ctxFor("lead.payments@example.com"), {}), "FORBIDDEN");
  });
});
