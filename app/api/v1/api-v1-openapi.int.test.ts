// Integration: every /api/v1 operation called through its real route handler — as the portal's pages call it
// (the session cookie of a real sign-in through the local OpenID Connect provider) and as scripts do (API
// tokens) — against a real PostgreSQL, and every answer, success or error, checked against the OpenAPI
// document (/api/openapi.json): its status must be listed for the operation and its body must match the
// listed JSON Schema (ajv, draft 2020-12).
import { randomBytes } from "node:crypto";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { OpenApiDocument } from "@/lib/api/openapi";
import type { V1Operation } from "@/lib/api/v1-operations";
import { signInThroughProvider } from "@/scripts/oidc/http-sign-in";
import { newSigningKey } from "@/scripts/oidc/provider";
import { startLocalOidc, type LocalOidc } from "@/scripts/start/local-oidc";
import { PortalClient } from "@/scripts/testenv/portal-client";
import { useTestDatabase as perFileTestDatabase } from "@/scripts/testenv/per-file";

// Route modules mark themselves server-only; this test is the server.
vi.mock("server-only", () => ({}));

const PORTAL = "http://localhost:3996";
const database = perFileTestDatabase({ seeded: true });

type Handler = (req: Request, ctx?: { params: Promise<{ id: string }> }) => Promise<Response>;
type Routes = { list: Handler; create: Handler; get: Handler; remove: Handler; sleep: Handler; wake: Handler; kubeconfig: Handler };

let idp: LocalOidc;
let routes: Routes;
let ops: typeof import("@/lib/api/v1-operations");
let doc: OpenApiDocument;
let ajv: Ajv2020;
let getClusterStatus: typeof import("@/lib/domain/get-cluster-detail").getClusterStatus;
let actorContext: typeof import("@/scripts/testenv/domain-actors").actorContext;
const cookies: Record<string, string> = {};
const tokens: Record<"read" | "write", string> = { read: "", write: "" };

beforeAll(async () => {
  idp = await startLocalOidc({
    portalUrl: PORTAL,
    port: 0,
    clientSecret: randomBytes(32).toString("base64url"),
    cookieKey: randomBytes(32).toString("base64url"),
    signingKey: newSigningKey(),
  });
  Object.assign(process.env, { AUTH_URL: PORTAL, AUTH_OIDC_ISSUER: idp.issuer, AUTH_OIDC_CLIENT_ID: idp.clientId, AUTH_OIDC_CLIENT_SECRET: idp.clientSecret });
  // The Auth.js configuration is built once per module instance: load everything after the environment is set.
  vi.resetModules();
  const handlers = (await import("@/lib/auth/route-handlers")).authRouteHandlers;
  const clusters = await import("@/app/api/v1/clusters/route");
  const one = await import("@/app/api/v1/clusters/[id]/route");
  routes = {
    list: clusters.GET,
    create: clusters.POST,
    get: one.GET,
    remove: one.DELETE,
    sleep: (await import("@/app/api/v1/clusters/[id]/sleep/route")).POST,
    wake: (await import("@/app/api/v1/clusters/[id]/wake/route")).POST,
    kubeconfig: (await import("@/app/api/v1/clusters/[id]/kubeconfig/route")).GET,
  } as Routes;
  ops = await import("@/lib/api/v1-operations");
  ({ getClusterStatus } = await import("@/lib/domain/get-cluster-detail"));
  ({ actorContext } = await import("@/scripts/testenv/domain-actors"));
  const { createApiToken } = await import("@/lib/domain/create-api-token");

  // The document as /api/openapi.json serves it.
  const served = await (await import("@/app/api/openapi.json/route")).GET();
  expect(served.status).toBe(200);
  doc = (await served.json()) as OpenApiDocument;
  ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormats(ajv);
  for (const [name, schema] of Object.entries(doc.components.schemas)) ajv.addSchema(schema, `#/components/schemas/${name}`);

  for (const email of ["dev.payments@example.com", "dev.search@example.com"]) {
    const browser = new PortalClient(PORTAL, handlers);
    await signInThroughProvider(browser, { as: email });
    expect(browser.hasSessionCookie()).toBe(true);
    cookies[email] = browser.jar.header()!;
  }
  const dev = await actorContext(database.prisma(), "dev.payments@example.com");
  tokens.read = (await createApiToken(dev, { name: "read", scopes: "read" })).token;
  tokens.write = (await createApiToken(dev, { name: "write", scopes: "read,write" })).token;
}, 120_000);

afterAll(async () => {
  await idp?.stop();
  // db() (used by the handlers) keeps one client on globalThis: close it before the database is dropped.
  const g = globalThis as { prisma?: { $disconnect(): Promise<void> } };
  await g.prisma?.$disconnect();
  delete g.prisma;
});

let ipCounter = 0;
type As = { session: string } | { token: string } | { nobody: true };
type Call = { as: As; method?: string; body?: unknown; rawBody?: string; headers?: Record<string, string>; ip?: string };

/** A request as the portal's page (session cookie, same origin) or a script (bearer token) sends it. */
function request(path: string, { as, method = "GET", body, rawBody, headers = {}, ip }: Call): Request {
  const h: Record<string, string> = { "x-forwarded-for": ip ?? `198.51.100.${++ipCounter % 250}` };
  if ("session" in as) {
    h.cookie = cookies[as.session]!;
    if (method !== "GET") h.origin = PORTAL;
  }
  if ("token" in as) h.authorization = `Bearer ${as.token}`;
  if (body !== undefined) h["content-type"] = "application/json";
  return new Request(`${PORTAL}/api/v1${path}`, { method, headers: { ...h, ...headers }, body: body !== undefined ? JSON.stringify(body) : rawBody });
}
const params = (id: string) => ({ params: Promise.resolve({ id }) });

const seen = new Set<string>();

/** The answer's status must be documented for the operation, its content type too, and a JSON body must match the documented schema. */
async function documented(op: V1Operation, res: Response): Promise<{ status: number; body: unknown }> {
  const operation = doc.paths[op.path]?.[op.method.toLowerCase() as "get"];
  expect(operation, `${op.method} ${op.path} is in the document`).toBeDefined();
  const spec = operation!.responses[String(res.status)];
  expect(spec, `${op.operationId} answered ${res.status}, which the document does not list`).toBeDefined();
  const [type, media] = Object.entries(spec!.content ?? {})[0]!;
  expect(res.headers.get("content-type"), `${op.operationId} ${res.status}`).toContain(type);
  for (const name of Object.keys(spec!.headers ?? {})) expect(res.headers.get(name), `${op.operationId} ${res.status} header ${name}`).not.toBeNull();
  seen.add(`${op.operationId} ${res.status}`);
  if (type !== "application/json") return { status: res.status, body: await res.text() };
  const body: unknown = await res.json();
  const validate: ValidateFunction = ajv.compile(media.schema);
  expect(validate(body) ? [] : validate.errors, `${op.operationId} ${res.status}: ${JSON.stringify(body).slice(0, 300)}`).toEqual([]);
  return { status: res.status, body };
}

const payments = { session: "dev.payments@example.com" };
const search = { session: "dev.search@example.com" };
let clusterId: string;

describe("the cluster page's calls, with the session cookie", () => {
  it("requests a cluster (201, Location), reads it (200: exactly the page's status) and lists it (200)", async () => {
    const created = await routes.create(request("/clusters", { as: payments, method: "POST", body: { team: "payments", template: "sandbox", name: "doc-one", parameters: { size: "small" } } }));
    expect(created.headers.get("location")).toMatch(/^\/api\/v1\/clusters\/\w+$/);
    const { status, body } = await documented(ops.createCluster, created);
    expect(status).toBe(201);
    clusterId = (body as { id: string }).id;

    const read = await documented(ops.getCluster, await routes.get(request(`/clusters/${clusterId}`, { as: payments }), params(clusterId)));
    expect(read.status).toBe(200);
    const page = await getClusterStatus(await actorContext(database.prisma(), "dev.payments@example.com"), clusterId);
    expect(read.body).toEqual(JSON.parse(JSON.stringify(page)));

    const list = await documented(ops.listClusters, await routes.list(request("/clusters", { as: payments })));
    expect((list.body as { clusters: { id: string }[] }).clusters.map((c) => c.id)).toContain(clusterId);
  });

  it("another team's member gets 404 from every operation on the cluster", async () => {
    const answers = [
      await documented(ops.getCluster, await routes.get(request(`/clusters/${clusterId}`, { as: search }), params(clusterId))),
      await documented(ops.deleteCluster, await routes.remove(request(`/clusters/${clusterId}`, { as: search, method: "DELETE" }), params(clusterId))),
      await documented(ops.sleepCluster, await routes.sleep(request(`/clusters/${clusterId}/sleep`, { as: search, method: "POST" }), params(clusterId))),
      await documented(ops.wakeCluster, await routes.wake(request(`/clusters/${clusterId}/wake`, { as: search, method: "POST" }), params(clusterId))),
      await documented(ops.downloadKubeconfig, await routes.kubeconfig(request(`/clusters/${clusterId}/kubeconfig`, { as: search }), params(clusterId))),
    ];
    for (const a of answers) expect(a).toMatchObject({ status: 404, body: { error: { code: "NOT_FOUND", message: "Cluster was not found." } } });
  });

  it("refuses a cross-site change made with the cookie (403) and a request without any credential (401)", async () => {
    const crossSite = await routes.create(request("/clusters", { as: payments, method: "POST", headers: { origin: "https://evil.example" }, body: { team: "payments", template: "sandbox", name: "csrf" } }));
    expect(await documented(ops.createCluster, crossSite)).toMatchObject({ status: 403, body: { error: { code: "FORBIDDEN" } } });
    const fetchMetadata = await routes.remove(request(`/clusters/${clusterId}`, { as: payments, method: "DELETE", headers: { origin: "", "sec-fetch-site": "cross-site" } }), params(clusterId));
    expect((await documented(ops.deleteCluster, fetchMetadata)).status).toBe(403);
    const anonymous = await routes.list(request("/clusters", { as: { nobody: true } }));
    expect(await documented(ops.listClusters, anonymous)).toMatchObject({ status: 401, body: { error: { code: "UNAUTHENTICATED" } } });
    expect(await database.prisma().virtualCluster.count({ where: { name: "csrf" } })).toBe(0);
  });

  it("goes through the lifecycle: 412 and 409 where the phase forbids, 202 with the cluster otherwise", async () => {
    const prisma = database.prisma();
    const at = (p: string) => `/clusters/${clusterId}${p}`;
    expect((await documented(ops.sleepCluster, await routes.sleep(request(at("/sleep"), { as: payments, method: "POST" }), params(clusterId)))).status).toBe(412);
    expect((await documented(ops.downloadKubeconfig, await routes.kubeconfig(request(at("/kubeconfig"), { as: payments }), params(clusterId)))).status).toBe(409);

    await prisma.virtualCluster.update({ where: { id: clusterId }, data: { phase: "READY", readyAt: new Date() } });
    // READY on the seeded host, which this test does not connect to (no KUBECONFIG): 503, not a kubeconfig.
    expect(await documented(ops.downloadKubeconfig, await routes.kubeconfig(request(at("/kubeconfig"), { as: payments }), params(clusterId)))).toMatchObject({ status: 503, body: { error: { code: "UNAVAILABLE" } } });
    // The 200: the route's own wrapper and response, with the virtual cluster's token issuer stood in (no control
    // plane here; lib/domain/download-kubeconfig-live.int.test.ts mints real tokens through the emulator).
    const { v1Route } = await import("@/lib/server/api-route");
    const { kubeconfigResponse } = await import("@/lib/server/kubeconfig-response");
    const issuer = {
      issue: async () => ({ serviceAccount: "user-doc", token: "token-doc", expiresAt: null, server: "https://doc-one.vc.example.test", caData: "Q0EK" }),
      revoke: async () => "deleted" as const,
    };
    const withIssuer = v1Route(ops.downloadKubeconfig, async (ctx, _req: Request, { params: p }: { params: Promise<{ id: string }> }) => kubeconfigResponse(ctx, (await p).id, { ops: issuer }));
    const file = await documented(ops.downloadKubeconfig, await withIssuer(request(at("/kubeconfig"), { as: payments }), params(clusterId)));
    expect(file).toMatchObject({ status: 200, body: expect.stringContaining("token: token-doc") });
    expect(await documented(ops.sleepCluster, await routes.sleep(request(at("/sleep"), { as: payments, method: "POST" }), params(clusterId)))).toMatchObject({ status: 202, body: { desiredState: "SLEEPING" } });
    await prisma.virtualCluster.update({ where: { id: clusterId }, data: { phase: "SLEEPING" } });
    expect(await documented(ops.wakeCluster, await routes.wake(request(at("/wake"), { as: payments, method: "POST" }), params(clusterId)))).toMatchObject({ status: 202, body: { phase: "PROVISIONING" } });
    expect((await documented(ops.wakeCluster, await routes.wake(request(at("/wake"), { as: payments, method: "POST" }), params(clusterId)))).status).toBe(412);
    expect(await documented(ops.deleteCluster, await routes.remove(request(at(""), { as: payments, method: "DELETE" }), params(clusterId)))).toMatchObject({ status: 202, body: { phase: "DELETING" } });
    expect((await documented(ops.deleteCluster, await routes.remove(request(at(""), { as: payments, method: "DELETE" }), params(clusterId)))).status).toBeGreaterThanOrEqual(400);
    const audit = (await prisma.auditEvent.findMany({ where: { targetId: clusterId }, select: { action: true, actorEmail: true } })).filter((a) => a.action.startsWith("cluster."));
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(["cluster.request", "cluster.sleep", "cluster.wake", "cluster.delete"]));
    expect(new Set(audit.map((a) => a.actorEmail))).toEqual(new Set(["dev.payments@example.com"]));
  });

  it("limits kubeconfig downloads per person: 429 after the burst", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await documented(ops.downloadKubeconfig, await routes.kubeconfig(request(`/clusters/${clusterId}/kubeconfig`, { as: payments }), params(clusterId)))).status);
    expect(statuses.at(-1)).toBe(429);
  });
});

describe("bodies and quotas", () => {
  it("answers 400 with fieldErrors, 409 for a taken name and 422 over quota, each as documented", async () => {
    const post = (body: unknown, as: As = payments, rawBody?: string) => routes.create(request("/clusters", { as, method: "POST", body, rawBody }));
    const bad = await documented(ops.createCluster, await post({ team: "payments", template: "", name: "Not A Name!" }));
    expect(bad).toMatchObject({ status: 400, body: { error: { code: "VALIDATION", fieldErrors: { template: expect.any(Array) } } } });
    expect(await documented(ops.createCluster, await post(undefined, payments, "{team:"))).toMatchObject({ status: 400, body: { error: { fieldErrors: { _form: expect.any(Array) } } } });
    expect((await documented(ops.createCluster, await post({ team: "payments", template: "sandbox", name: "doc-two", parameters: { size: "huge" } }))).status).toBe(400);

    expect((await documented(ops.createCluster, await post({ team: "payments", template: "sandbox", name: "doc-two" }))).status).toBe(201);
    expect(await documented(ops.createCluster, await post({ team: "payments", template: "sandbox", name: "doc-two" }))).toMatchObject({ status: 409, body: { error: { code: "CONFLICT" } } });

    const prisma = database.prisma();
    const team = await prisma.team.findUniqueOrThrow({ where: { slug: "search" } });
    await prisma.teamQuota.update({ where: { teamId: team.id }, data: { maxClusters: 0 } });
    expect(await documented(ops.createCluster, await post({ team: "search", template: "sandbox", name: "too-many" }, search))).toMatchObject({ status: 422, body: { error: { code: "QUOTA_EXCEEDED" } } });
  });
});

describe("API tokens", () => {
  it("a read token reads (200) and is refused every change and the kubeconfig (403 naming the scope)", async () => {
    const read = { token: tokens.read };
    expect((await documented(ops.listClusters, await routes.list(request("/clusters", { as: read })))).status).toBe(200);
    expect((await documented(ops.getCluster, await routes.get(request(`/clusters/${clusterId}`, { as: read }), params(clusterId)))).status).toBe(200);
    const refused = [
      await documented(ops.createCluster, await routes.create(request("/clusters", { as: read, method: "POST", body: { team: "payments", template: "sandbox", name: "nope" } }))),
      await documented(ops.sleepCluster, await routes.sleep(request(`/clusters/${clusterId}/sleep`, { as: read, method: "POST" }), params(clusterId))),
      await documented(ops.wakeCluster, await routes.wake(request(`/clusters/${clusterId}/wake`, { as: read, method: "POST" }), params(clusterId))),
      await documented(ops.deleteCluster, await routes.remove(request(`/clusters/${clusterId}`, { as: read, method: "DELETE" }), params(clusterId))),
      await documented(ops.downloadKubeconfig, await routes.kubeconfig(request(`/clusters/${clusterId}/kubeconfig`, { as: read }), params(clusterId))),
    ];
    for (const r of refused) expect(r).toMatchObject({ status: 403, body: { error: { code: "FORBIDDEN", message: expect.stringContaining('lacks the "write" scope') } } });
  });

  it("a write token changes (201); bad tokens get 401, then 429 from the same address", async () => {
    const created = await routes.create(request("/clusters", { as: { token: tokens.write }, method: "POST", body: { team: "payments", template: "sandbox", name: "doc-three" } }));
    expect((await documented(ops.createCluster, created)).status).toBe(201);
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await documented(ops.listClusters, await routes.list(request("/clusters", { as: { token: `vcp_${"C".repeat(43)}` }, ip: "203.0.113.66" })))).status);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses.slice(10)).toEqual([429, 429]);
  });
});

describe("the checks themselves", () => {
  it("a body that leaves out a documented field, or adds one, fails the document's schema", async () => {
    const res = await routes.get(request(`/clusters/${clusterId}`, { as: payments }), params(clusterId));
    const body = (await res.json()) as Record<string, unknown>;
    const validate = ajv.compile({ $ref: "#/components/schemas/Cluster" });
    expect(validate(body)).toBe(true);
    const missing = { ...body };
    delete missing.steps;
    expect(validate(missing)).toBe(false);
    expect(validate({ ...body, secret: "x" })).toBe(false);
  });

  it("every operation was seen succeeding and failing", () => {
    for (const op of ops.V1_OPERATIONS) {
      const statuses = [...seen].filter((s) => s.startsWith(`${op.operationId} `)).map((s) => Number(s.split(" ")[1]));
      expect(statuses, op.operationId).toContain(op.success.status);
      expect(statuses.some((s) => s >= 400), op.operationId).toBe(true);
    }
  });
});
