// Integration: API token scopes and revocation through the real /api/v1 route handlers (called directly
// with a Request), against a real PostgreSQL (seeded: payments and search teams, the sandbox template).
import { readdirSync } from "node:fs";
import path from "node:path";
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
const { revokeApiToken } = await import("@/lib/domain/revoke-api-token");
const { actorContext } = await import("@/scripts/testenv/domain-actors");

const testDb = useTestDatabase({ seeded: true });
const BASE = "http://localhost:3000/api/v1";
const V1_DIR = path.resolve(import.meta.dirname);

let ipCounter = 0;
function req(p: string, init: { method?: string; token?: string; body?: unknown; ip?: string } = {}) {
  const headers: Record<string, string> = { "x-forwarded-for": init.ip ?? `198.51.100.${++ipCounter % 250}` };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  let body: string | undefined;
  if (init.body !== undefined) {
    body = JSON.stringify(init.body);
    headers["content-type"] = "application/json";
  }
  return new Request(`${BASE}${p}`, { method: init.method ?? "GET", headers, body });
}
const params = (id: string) => ({ params: Promise.resolve({ id }) });

// Every /api/v1 route and method with the scope an API token needs. A new route must be added here, with
// its scope; anything that changes state or hands out credentials needs `write`.
const EXPECTED_SCOPES: Record<string, "read" | "write"> = {
  "GET /clusters": "read",
  "POST /clusters": "write",
  "GET /clusters/[id]": "read",
  "DELETE /clusters/[id]": "write",
  "POST /clusters/[id]/sleep": "write",
  "POST /clusters/[id]/wake": "write",
  "GET /clusters/[id]/kubeconfig": "write",
};
const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

function routeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return routeFiles(p);
    return e.name === "route.ts" ? [p] : [];
  });
}

let devRead: string;
let devWrite: string;
let clusterId: string;

beforeAll(async () => {
  const dev = await actorContext(testDb.prisma(), "dev.payments@example.com");
  devRead = (await createApiToken(dev, { name: "read-only", scopes: "read" })).token;
  devWrite = (await createApiToken(dev, { name: "read-write", scopes: "read,write" })).token;
  const res = await createCluster(req("/clusters", { method: "POST", token: devWrite, body: { team: "payments", template: "sandbox", name: "scoped" } }));
  expect(res.status).toBe(201);
  clusterId = (await res.json()).id;
  // READY, so that sleep and kubeconfig would succeed but for the scope.
  await testDb.prisma().virtualCluster.update({ where: { id: clusterId }, data: { phase: "READY", readyAt: new Date() } });
});

describe("every /api/v1 route declares the token scope it needs", () => {
  it("matches the table: reads need read; changes and kubeconfigs need write; no route is left undeclared", async () => {
    const found: Record<string, string> = {};
    for (const file of routeFiles(V1_DIR)) {
      const route = `/${path.relative(V1_DIR, path.dirname(file)).split(path.sep).join("/")}`;
      const mod = (await import(file)) as Record<string, unknown>;
      for (const method of METHODS) {
        const handler = mod[method] as ({ requiredScope?: string } & ((...a: unknown[]) => unknown)) | undefined;
        if (!handler) continue;
        expect(handler.requiredScope, `${method} ${route} must be defined with v1Route({ scope })`).toMatch(/^(read|write)$/);
        found[`${method} ${route}`] = handler.requiredScope!;
      }
    }
    expect(found).toEqual(EXPECTED_SCOPES);
  });
});

describe("a read token", () => {
  it("lists and reads clusters", async () => {
    const list = await listClusters(req("/clusters", { token: devRead }));
    expect(list.status).toBe(200);
    expect((await list.json()).clusters.map((c: { id: string }) => c.id)).toContain(clusterId);
    const one = await getCluster(req(`/clusters/${clusterId}`, { token: devRead }), params(clusterId));
    expect(one.status).toBe(200);
    expect((await one.json()).phase).toBe("READY");
  });

  it("cannot create, delete, sleep, wake or download a kubeconfig: 403 naming the missing scope, nothing changes", async () => {
    const prisma = testDb.prisma();
    const clustersBefore = await prisma.virtualCluster.count();
    const auditBefore = await prisma.auditEvent.count();
    const before = await prisma.virtualCluster.findUniqueOrThrow({ where: { id: clusterId }, select: { phase: true, desiredState: true, updatedAt: true } });

    const calls: [string, Response][] = [
      ["POST /api/v1/clusters", await createCluster(req("/clusters", { method: "POST", token: devRead, body: { team: "payments", template: "sandbox", name: "not-allowed" } }))],
      [`DELETE /api/v1/clusters/${clusterId}`, await deleteCluster(req(`/clusters/${clusterId}`, { method: "DELETE", token: devRead }), params(clusterId))],
      [`POST /api/v1/clusters/${clusterId}/sleep`, await sleepCluster(req(`/clusters/${clusterId}/sleep`, { method: "POST", token: devRead }), params(clusterId))],
      [`POST /api/v1/clusters/${clusterId}/wake`, await wakeCluster(req(`/clusters/${clusterId}/wake`, { method: "POST", token: devRead }), params(clusterId))],
      [`GET /api/v1/clusters/${clusterId}/kubeconfig`, await getKubeconfig(req(`/clusters/${clusterId}/kubeconfig`, { token: devRead }), params(clusterId))],
    ];
    for (const [what, res] of calls) {
      expect(res.status, what).toBe(403);
      expect(res.headers.get("content-type")).toMatch(/^application\/json/);
      const { error } = await res.json();
      expect(error.code, what).toBe("FORBIDDEN");
      expect(error.message, what).toBe(
        `This API token lacks the "write" scope required for ${what} (it has: read). Create a token with the "write" scope on the Settings → API tokens page or with npm run token:create -- --scopes read,write.`,
      );
      expect(error.requestId).toEqual(expect.any(String));
    }

    expect(await prisma.virtualCluster.count()).toBe(clustersBefore);
    expect(await prisma.virtualCluster.findUniqueOrThrow({ where: { id: clusterId }, select: { phase: true, desiredState: true, updatedAt: true } })).toEqual(before);
    // No cluster operation and no kubeconfig download was recorded.
    expect(await prisma.auditEvent.count()).toBe(auditBefore);
  });

  it("a scope refusal is not a failed login: it never turns into 429", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 14; i++) statuses.push((await sleepCluster(req(`/clusters/${clusterId}/sleep`, { method: "POST", token: devRead, ip: "203.0.113.77" }), params(clusterId))).status);
    expect(statuses).toEqual(Array(14).fill(403));
    expect((await listClusters(req("/clusters", { token: devRead, ip: "203.0.113.77" }))).status).toBe(200);
  });
});

describe("a write token", () => {
  it("sleeps the cluster and downloads its kubeconfig past the scope check", async () => {
    const slept = await sleepCluster(req(`/clusters/${clusterId}/sleep`, { method: "POST", token: devWrite }), params(clusterId));
    expect(slept.status).toBe(202);
    expect(await slept.json()).toMatchObject({ desiredState: "SLEEPING" });
    // The kubeconfig route is reached (not 403); the fake READY cluster has no secret on the host, so the
    // use case answers with its own error rather than a scope refusal.
    const kc = await getKubeconfig(req(`/clusters/${clusterId}/kubeconfig`, { token: devWrite }), params(clusterId));
    expect(kc.status).not.toBe(403);
    expect(kc.status).not.toBe(401);
  });
});

describe("revocation", () => {
  it("a revoked token gets 401 with a JSON message on its very next request", async () => {
    const dev = await actorContext(testDb.prisma(), "dev.payments@example.com");
    const t = await createApiToken(dev, { name: "soon-revoked", scopes: "read,write" });
    expect((await listClusters(req("/clusters", { token: t.token }))).status).toBe(200);

    await revokeApiToken(dev, { tokenId: t.id });
    for (const res of [
      await listClusters(req("/clusters", { token: t.token })),
      await getCluster(req(`/clusters/${clusterId}`, { token: t.token }), params(clusterId)),
      await createCluster(req("/clusters", { method: "POST", token: t.token, body: { team: "payments", template: "sandbox", name: "after-revoke" } })),
    ]) {
      expect(res.status).toBe(401);
      expect(res.headers.get("content-type")).toMatch(/^application\/json/);
      const { error } = await res.json();
      expect(error).toMatchObject({ code: "UNAUTHENTICATED" });
      expect(error.message).toMatch(/^This API token was revoked on \d{4}-\d\d-\d\dT.*Z\. Create a new one on the Settings → API tokens page\.$/);
    }
  });

  it("an attempt with a revoked token is audited (token.use-revoked), at most once a minute per token", async () => {
    const prisma = testDb.prisma();
    const dev = await actorContext(prisma, "dev.payments@example.com");
    const t = await createApiToken(dev, { name: "replayed" });
    await revokeApiToken(dev, { tokenId: t.id });
    const count = () => prisma.auditEvent.count({ where: { action: "token.use-revoked", targetId: t.id } });

    // A burst from rotating addresses (each under its own rate-limit bucket): one audit event.
    const attempts = await Promise.all(Array.from({ length: 8 }, (_, i) => listClusters(req("/clusters", { token: t.token, ip: `192.0.2.${100 + i}` }))));
    expect(attempts.map((r) => r.status)).toEqual(Array(8).fill(401));
    expect(await count()).toBe(1);
    const event = await prisma.auditEvent.findFirstOrThrow({ where: { action: "token.use-revoked", targetId: t.id } });
    expect(event).toMatchObject({ targetType: "token", actorId: dev.actor.id, actorEmail: "dev.payments@example.com" });
    expect(event.ip).toMatch(/^192\.0\.2\.1\d\d$/);
    expect(event.details).toMatchObject({ name: "replayed", prefix: t.prefix, userEmail: "dev.payments@example.com" });

    // A minute later the next attempt is recorded again.
    await prisma.apiToken.update({ where: { id: t.id }, data: { revokedUseAuditedAt: new Date(Date.now() - 61_000) } });
    expect((await listClusters(req("/clusters", { token: t.token }))).status).toBe(401);
    expect(await count()).toBe(2);
  });

  it("an expired token gets 401 saying so, and is not audited as revoked", async () => {
    const prisma = testDb.prisma();
    const dev = await actorContext(prisma, "dev.payments@example.com");
    const t = await createApiToken(dev, { name: "expiring" });
    const expiresAt = new Date(Date.now() - 1000);
    await prisma.apiToken.update({ where: { id: t.id }, data: { expiresAt } });
    const res = await listClusters(req("/clusters", { token: t.token }));
    expect(res.status).toBe(401);
    expect((await res.json()).error).toMatchObject({ code: "UNAUTHENTICATED", message: `This API token expired on ${expiresAt.toISOString()}. Create a new one on the Settings → API tokens page.` });
    expect(await prisma.auditEvent.count({ where: { action: "token.use-revoked", targetId: t.id } })).toBe(0);
  });
});
