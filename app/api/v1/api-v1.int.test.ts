// Integration: /api/v1 route handlers called directly with a Request and a personal API token, against a
// real PostgreSQL (seeded: payments and search teams, the sandbox template).
import { beforeAll, describe, expect, it, vi } from "vitest";
import { useTestDatabase } from "@/scripts/testenv/per-file";

// Route modules mark themselves server-only; this test is the server.
vi.mock("server-only", () => ({}));

const { GET: listClusters, POST: createCluster } = await import("@/app/api/v1/clusters/route");
const { GET: getCluster, DELETE: deleteCluster } = await import("@/app/api/v1/clusters/[id]/route");
const { POST: sleepCluster } = await import("@/app/api/v1/clusters/[id]/sleep/route");
const { POST: wakeCluster } = await import("@/app/api/v1/clusters/[id]/wake/route");
const { GET: getKubeconfig } = await import("@/app/api/v1/clusters/[id]/kubeconfig/route");
const { createApiToken } = await import("@/lib/domain/create-api-token");
const { SYSTEM_ACTOR } = await import("@/lib/domain/context");
const { hashApiToken } = await import("@/lib/auth/api-token");
const { AppError } = await import("@/lib/errors");

const testDb = useTestDatabase({ seeded: true });
const BASE = "http://localhost:3000/api/v1";

let payments: string; // dev.payments's token
let search: string; // dev.search's token
let ipCounter = 0;

/** A request with a token; each test request comes from its own address unless one is given (rate limits are per ip). */
function req(path: string, init: { method?: string; token?: string | null; body?: unknown; rawBody?: string; headers?: Record<string, string>; ip?: string } = {}) {
  const headers: Record<string, string> = { "x-forwarded-for": init.ip ?? `198.51.100.${++ipCounter % 250}`, ...init.headers };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  let body: string | undefined = init.rawBody;
  if (init.body !== undefined) {
    body = JSON.stringify(init.body);
    headers["content-type"] = "application/json";
  }
  return new Request(`${BASE}${path}`, { method: init.method ?? "GET", headers, body });
}
const params = (id: string) => ({ params: Promise.resolve({ id }) });
/** Tokens issued the way `npm run token:create` does: by the system actor, for someone named by e-mail. */
const operator = () => ({ db: testDb.prisma(), actor: { ...SYSTEM_ACTOR, memberships: [] } });

beforeAll(async () => {
  payments = (await createApiToken(operator(), { email: "dev.payments@example.com", name: "ci", expiresInDays: 30, scopes: "read,write" })).token;
  search = (await createApiToken(operator(), { email: "dev.search@example.com", name: "ci", scopes: "read,write" })).token;
});

describe("createApiToken", () => {
  it("stores only the sha256 and a display prefix, and audits token.create", async () => {
    const prisma = testDb.prisma();
    const t = await createApiToken(operator(), { email: "DEV.payments@example.com", name: "laptop", expiresInDays: 7 });
    expect(t.token).toMatch(/^vcp_[A-Za-z0-9_-]{43}$/);
    expect(t.expiresAt.getTime()).toBeGreaterThan(Date.now() + 7 * 86_400_000 - 60_000);
    expect(t.expiresAt.getTime()).toBeLessThanOrEqual(Date.now() + 7 * 86_400_000);

    const row = await prisma.apiToken.findUniqueOrThrow({ where: { id: t.id }, include: { user: true } });
    expect(row.user.email).toBe("dev.payments@example.com");
    expect(row.tokenHash).toBe(hashApiToken(t.token));
    expect(row.prefix).toBe(t.token.slice(0, 12));
    expect(row.name).toBe("laptop");
    expect(row.scopes).toEqual(["read"]); // the safer default
    // No column of any token row holds the secret.
    const all = await prisma.$queryRawUnsafe<Record<string, unknown>[]>(`SELECT * FROM "ApiToken"`);
    for (const secret of [t.token, payments, search]) {
      expect(JSON.stringify(all)).not.toContain(secret);
      expect(JSON.stringify(all)).not.toContain(secret.slice(12));
    }

    const audit = await prisma.auditEvent.findFirstOrThrow({ where: { action: "token.create", targetId: t.id } });
    expect(audit.targetType).toBe("token");
    expect(JSON.stringify(audit.details)).not.toContain(t.token.slice(12));
    expect(audit.details).toMatchObject({ userEmail: "dev.payments@example.com", name: "laptop", prefix: row.prefix, scopes: ["read"] });
    expect(audit.actorEmail).toBe("system");
  });

  it("defaults to 90 days and refuses unknown people and out-of-range lifetimes readably", async () => {
    const prisma = testDb.prisma();
    const t = await createApiToken(operator(), { email: "dev.search@example.com", name: "x" });
    expect(Math.round((t.expiresAt.getTime() - Date.now()) / 86_400_000)).toBe(90);
    expect((await prisma.apiToken.findUniqueOrThrow({ where: { id: t.id } })).scopes).toEqual(["read"]);

    const unknown = await createApiToken(operator(), { email: "nobody@example.com", name: "x" }).catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(AppError);
    expect(unknown).toMatchObject({ code: "NOT_FOUND" });
    expect((unknown as Error).message).toContain("nobody@example.com");

    // 91: over API_TOKEN_MAX_DAYS (default 90).
    for (const expiresInDays of [0, 91, 366, 1.5]) {
      const bad = await createApiToken(operator(), { email: "dev.search@example.com", name: "x", expiresInDays }).catch((e: unknown) => e);
      expect(bad).toMatchObject({ code: "VALIDATION", fieldErrors: { expiresInDays: expect.any(Array) } });
    }
  });
});

describe("/api/v1/clusters with an API token", () => {
  let clusterId: string;

  it("POST creates a cluster for the caller's team: 201 with the documented shape", async () => {
    const res = await createCluster(req("/clusters", { method: "POST", token: payments, body: { team: "payments", template: "sandbox", name: "api-one", parameters: { size: "small" } } }));
    expect(res.status).toBe(201);
    const body = await res.json();
    clusterId = body.id;
    expect(res.headers.get("location")).toBe(`/api/v1/clusters/${clusterId}`);
    expect(body).toMatchObject({
      name: "api-one",
      phase: "PROVISIONING",
      desiredState: "RUNNING",
      team: { slug: "payments", name: "Payments" },
      template: { slug: "sandbox", name: "Sandbox", version: 1 },
      owner: { email: "dev.payments@example.com" },
      parameters: { size: "small" },
      resources: { cpuMillicores: 1000, memoryMiB: 2048 },
      allowed: { delete: true, sleep: false },
    });
    expect(Object.keys(body).sort()).toEqual(
      [
        ...["allowed", "createdAt", "desiredState", "expiresAt", "hostName", "id", "lastError", "name", "namespace", "owner", "parameters", "phase", "phaseLabel", "readyAt", "resources", "team", "template"],
        // Added when the cluster page moved onto /api/v1: what the page shows besides.
        ...["activity", "events", "kubeconfigFilename", "kubeconfigValidity", "maxExtendHours", "rejection", "releaseName", "steps", "yourCredential"],
      ].sort(),
    );
    // Audited as the token's owner, with the caller's address.
    const audit = await testDb.prisma().auditEvent.findFirstOrThrow({ where: { action: "cluster.request", targetId: clusterId } });
    expect(audit.actorEmail).toBe("dev.payments@example.com");
    expect(audit.ip).toMatch(/^198\.51\.100\./);
  });

  it("GET lists the caller's visible clusters", async () => {
    const res = await listClusters(req("/clusters", { token: payments }));
    expect(res.status).toBe(200);
    const { clusters } = await res.json();
    const mine = clusters.find((c: { id: string }) => c.id === clusterId);
    expect(mine).toMatchObject({ name: "api-one", phase: "PROVISIONING", isMine: true, ended: false, team: { slug: "payments" }, template: { slug: "sandbox" } });
    expect(Object.keys(mine).sort()).toEqual(["createdAt", "ended", "expiresAt", "id", "isMine", "lastError", "name", "owner", "phase", "phaseLabel", "team", "template"].sort());

    // dev.search sees none of payments' clusters.
    const other = await (await listClusters(req("/clusters", { token: search }))).json();
    expect(other.clusters.map((c: { id: string }) => c.id)).not.toContain(clusterId);
  });

  it("GET /clusters/{id}: the team sees it, another team gets 404 everywhere", async () => {
    const mine = await getCluster(req(`/clusters/${clusterId}`, { token: payments }), params(clusterId));
    expect(mine.status).toBe(200);
    expect((await mine.json()).id).toBe(clusterId);

    const calls: [string, Response][] = [
      ["GET", await getCluster(req(`/clusters/${clusterId}`, { token: search }), params(clusterId))],
      ["DELETE", await deleteCluster(req(`/clusters/${clusterId}`, { method: "DELETE", token: search }), params(clusterId))],
      ["sleep", await sleepCluster(req(`/clusters/${clusterId}/sleep`, { method: "POST", token: search }), params(clusterId))],
      ["wake", await wakeCluster(req(`/clusters/${clusterId}/wake`, { method: "POST", token: search }), params(clusterId))],
      ["kubeconfig", await getKubeconfig(req(`/clusters/${clusterId}/kubeconfig`, { token: search }), params(clusterId))],
    ];
    for (const [what, res] of calls) {
      expect(res.status, what).toBe(404);
      expect((await res.json()).error).toMatchObject({ code: "NOT_FOUND", message: "Cluster was not found." });
    }
  });

  it("POST with a bad body: 400 with fieldErrors under the body's field names", async () => {
    const bad = await createCluster(req("/clusters", { method: "POST", token: payments, body: { team: "payments", template: "", name: "Not A Name!" } }));
    expect(bad.status).toBe(400);
    const { error } = await bad.json();
    expect(error.code).toBe("VALIDATION");
    expect(error.fieldErrors.template).toBeDefined();

    const badName = await createCluster(req("/clusters", { method: "POST", token: payments, body: { team: "payments", template: "sandbox", name: "Not A Name!" } }));
    expect(badName.status).toBe(400);
    expect((await badName.json()).error.fieldErrors.name).toBeDefined();

    const badParam = await createCluster(req("/clusters", { method: "POST", token: payments, body: { team: "payments", template: "sandbox", name: "api-two", parameters: { size: "huge" } } }));
    expect(badParam.status).toBe(400);
    expect((await badParam.json()).error.fieldErrors["parameters.size"]).toBeDefined();

    const noTeam = await createCluster(req("/clusters", { method: "POST", token: payments, body: { team: "nope", template: "sandbox", name: "api-two" } }));
    expect(noTeam.status).toBe(400);
    expect((await noTeam.json()).error.fieldErrors.team).toEqual(['No team "nope"']);

    const notJson = await createCluster(req("/clusters", { method: "POST", token: payments, rawBody: "{team:", headers: { "content-type": "application/json" } }));
    expect(notJson.status).toBe(400);
    expect((await notJson.json()).error.code).toBe("VALIDATION");

    const taken = await createCluster(req("/clusters", { method: "POST", token: payments, body: { team: "payments", template: "sandbox", name: "api-one" } }));
    expect(taken.status).toBe(409);
    expect((await taken.json()).error.fieldErrors.name).toBeDefined();

    const otherTeam = await createCluster(req("/clusters", { method: "POST", token: search, body: { team: "payments", template: "sandbox", name: "api-three" } }));
    expect(otherTeam.status).toBe(403);
  });

  it("sleep, wake, kubeconfig and delete go through the use cases", async () => {
    const notReady = await sleepCluster(req(`/clusters/${clusterId}/sleep`, { method: "POST", token: payments }), params(clusterId));
    expect(notReady.status).toBe(412);
    const kubeconfig = await getKubeconfig(req(`/clusters/${clusterId}/kubeconfig`, { token: payments }), params(clusterId));
    expect(kubeconfig.status).toBe(409);

    await testDb.prisma().virtualCluster.update({ where: { id: clusterId }, data: { phase: "READY", readyAt: new Date() } });
    const slept = await sleepCluster(req(`/clusters/${clusterId}/sleep`, { method: "POST", token: payments }), params(clusterId));
    expect(slept.status).toBe(202);
    expect(await slept.json()).toMatchObject({ id: clusterId, phase: "READY", desiredState: "SLEEPING" });

    await testDb.prisma().virtualCluster.update({ where: { id: clusterId }, data: { phase: "SLEEPING" } });
    const woke = await wakeCluster(req(`/clusters/${clusterId}/wake`, { method: "POST", token: payments }), params(clusterId));
    expect(woke.status).toBe(202);
    expect(await woke.json()).toMatchObject({ phase: "PROVISIONING", desiredState: "RUNNING" });

    const deleted = await deleteCluster(req(`/clusters/${clusterId}`, { method: "DELETE", token: payments }), params(clusterId));
    expect(deleted.status).toBe(202);
    expect(await deleted.json()).toMatchObject({ phase: "DELETING", desiredState: "DELETED" });
    const actions = (await testDb.prisma().auditEvent.findMany({ where: { targetId: clusterId }, orderBy: { createdAt: "asc" } })).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(["cluster.request", "cluster.sleep", "cluster.wake", "cluster.delete"]));
  });

  it("over quota: 422", async () => {
    const prisma = testDb.prisma();
    const team = await prisma.team.findUniqueOrThrow({ where: { slug: "search" } });
    await prisma.teamQuota.update({ where: { teamId: team.id }, data: { maxClusters: 0 } });
    const res = await createCluster(req("/clusters", { method: "POST", token: search, body: { team: "search", template: "sandbox", name: "too-many" } }));
    expect(res.status).toBe(422);
    expect((await res.json()).error.code).toBe("QUOTA_EXCEEDED");
  });
});

describe("token authentication", () => {
  const unauthorized = async (res: Response, message: string | RegExp = "Invalid or expired API token") => {
    expect(res.status).toBe(401);
    const { error } = await res.json();
    expect(error.code).toBe("UNAUTHENTICATED");
    if (typeof message === "string") expect(error.message).toBe(message);
    else expect(error.message).toMatch(message);
  };

  it("expired, revoked, unknown and garbage tokens get 401", async () => {
    const prisma = testDb.prisma();
    const expired = await createApiToken(operator(), { email: "dev.payments@example.com", name: "old", scopes: "read,write" });
    await prisma.apiToken.update({ where: { id: expired.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const revoked = await createApiToken(operator(), { email: "dev.payments@example.com", name: "gone", scopes: "read,write" });
    await prisma.apiToken.update({ where: { id: revoked.id }, data: { revokedAt: new Date() } });
    const unknown = `vcp_${"A".repeat(43)}`;

    await unauthorized(await listClusters(req("/clusters", { token: expired.token })), /^This API token expired on /);
    await unauthorized(await listClusters(req("/clusters", { token: revoked.token })), /^This API token was revoked on /);
    await unauthorized(await listClusters(req("/clusters", { token: unknown })));
    await unauthorized(await listClusters(req("/clusters", { token: "garbage" })));
    await unauthorized(await listClusters(req("/clusters", { headers: { authorization: `Basic ${Buffer.from("a:b").toString("base64")}` } })));
    await unauthorized(await createCluster(req("/clusters", { method: "POST", token: revoked.token, body: { team: "payments", template: "sandbox", name: "nope" } })), /was revoked/);
  });

  it("records lastUsedAt on use, at most once a minute", async () => {
    const prisma = testDb.prisma();
    const t = await createApiToken(operator(), { email: "dev.payments@example.com", name: "used" });
    expect((await prisma.apiToken.findUniqueOrThrow({ where: { id: t.id } })).lastUsedAt).toBeNull();
    await listClusters(req("/clusters", { token: t.token }));
    const first = (await prisma.apiToken.findUniqueOrThrow({ where: { id: t.id } })).lastUsedAt;
    expect(first).toBeInstanceOf(Date);
    await listClusters(req("/clusters", { token: t.token }));
    expect((await prisma.apiToken.findUniqueOrThrow({ where: { id: t.id } })).lastUsedAt).toEqual(first);
  });

  it("failed attempts are rate-limited per address: 429 after the burst, other addresses unaffected", async () => {
    const garbage = `vcp_${"B".repeat(43)}`;
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await listClusters(req("/clusters", { token: garbage, ip: "203.0.113.99" }))).status);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses.slice(10)).toEqual([429, 429]);
    expect((await listClusters(req("/clusters", { token: payments, ip: "203.0.113.100" }))).status).toBe(200);
  });

  it("without a token, a cross-site state change is refused before any session lookup", async () => {
    const res = await createCluster(req("/clusters", { method: "POST", headers: { origin: "https://evil.example", host: "localhost:3000" }, body: { team: "payments", template: "sandbox", name: "csrf" } }));
    expect(res.status).toBe(403);
  });
});
