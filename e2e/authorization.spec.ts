import path from "node:path";
import { type APIRequestContext, type APIResponse, expect, test } from "@playwright/test";
import { ACCESS_TABLE, type AccessEntry, entryName, OK, type Outcome, outcomeOf, PERSONAS, type Persona } from "../lib/authz/access-table";
import { generateApiToken } from "../lib/auth/api-token";
import { createPrisma } from "../lib/db/client";
import { signedInState, type StorageState } from "./fixtures/auth";
import { type ActionAnswer, builtActions, callServerAction } from "./fixtures/server-action";
import { E2E_DIST_DIR } from "./fixtures/dist-dir";

// The access table (lib/authz/access-table.ts, docs/security.md) walked through the production build over HTTP:
// every route, server action and page, as each of the five people, must give the outcome the table says. Routes
// of /api/v1 are walked twice: with the person's session cookies and with an API token of theirs. Each call gets
// objects of its own (a fresh cluster, token or host), made in the database and retired after the call, so a
// call that is allowed to destroy something breaks no other call.

const root = path.resolve(import.meta.dirname, "..");
const origin = `http://localhost:${process.env.VCP_E2E_PORT}`;
const suffix = Math.random().toString(36).slice(2, 7);
const prefix = `authz-${suffix}`;
const EMAIL: Record<Exclude<Persona, "anonymous">, string> = {
  developer: "dev.payments@example.com",
  lead: "lead.payments@example.com",
  admin: "admin@example.com",
  otherTeam: "dev.search@example.com",
};
const REFUSAL_CODE = { 401: "UNAUTHENTICATED", 403: "FORBIDDEN", 404: "NOT_FOUND" } as const;
const FAR_FUTURE = new Date("2100-01-01T00:00:00Z");

const db = createPrisma(process.env.DATABASE_URL, 2);
const sessions = {} as Record<Persona, StorageState>;
const tokens = {} as Record<Persona, string>;
let ids: { users: Record<string, string>; payments: string; search: string; host: string; teamDev: string; sandboxVersion: number; someone: string };
const startedAt = new Date();
let n = 0;
const unique = () => `${prefix}-${++n}`;

test.beforeAll(async ({ browser }) => {
  test.setTimeout(120_000);
  const users = await db.user.findMany({ where: { email: { in: Object.values(EMAIL) } }, select: { id: true, email: true } });
  const team = (slug: string) => db.team.findUniqueOrThrow({ where: { slug }, select: { id: true } }).then((t) => t.id);
  const latest = (slug: string) => db.templateVersion.findFirstOrThrow({ where: { template: { slug } }, orderBy: { version: "desc" }, select: { id: true, version: true } });
  const someone = await db.user.create({ data: { email: `${prefix}-someone@example.com`, name: "Someone Else" } });
  ids = {
    users: Object.fromEntries(users.map((u) => [u.email, u.id])),
    payments: await team("payments"),
    search: await team("search"),
    host: (await db.hostCluster.findFirstOrThrow({ orderBy: { createdAt: "asc" } })).id,
    teamDev: (await latest("team-dev")).id,
    sandboxVersion: (await latest("sandbox")).version,
    someone: someone.id,
  };
  sessions.anonymous = { cookies: [], origins: [] };
  // A well-formed token that was never issued: the anonymous caller's "API token".
  tokens.anonymous = generateApiToken().token;
  for (const [persona, email] of Object.entries(EMAIL) as [Exclude<Persona, "anonymous">, string][]) {
    sessions[persona] = await signedInState(browser, email);
    tokens[persona] = (await newToken(userId(persona), ["read", "write"])).secret;
  }
});

test.afterAll(async () => {
  if (ids) await retire();
  await db.$disconnect();
});

const userId = (p: Exclude<Persona, "anonymous">) => ids.users[EMAIL[p]]!;

/** A token of `owner` straight in the database (as npm run token:create makes them): its id and secret. */
async function newToken(owner: string, scopes: string[] = ["read"]): Promise<{ id: string; secret: string }> {
  const t = generateApiToken();
  const row = await db.apiToken.create({ data: { userId: owner, name: unique(), tokenHash: t.hash, prefix: t.prefix, scopes, expiresAt: new Date(Date.now() + 86_400_000) } });
  return { id: row.id, secret: t.token };
}

/** A payments cluster the developer requested, waiting for approval (the worker leaves it be), with a credential of theirs. */
async function newCluster(): Promise<string> {
  const c = await db.virtualCluster.create({
    data: { name: unique(), teamId: ids.payments, ownerId: userId("developer"), templateVersionId: ids.teamDev, cpuMillicores: 100, memoryMiB: 128, phase: "PENDING_APPROVAL", nextReconcileAt: FAR_FUTURE },
  });
  const now = new Date();
  await db.clusterCredential.create({ data: { clusterId: c.id, userId: userId("developer"), serviceAccount: `${c.name}-dev`, role: "cluster-admin", issuedAt: now, expiresAt: new Date(now.getTime() + 3_600_000) } });
  return c.id;
}

/** Ends the payments clusters this spec made or had requested, so team quotas are as the other specs expect. */
async function retire(): Promise<void> {
  await db.virtualCluster.updateMany({
    where: { teamId: ids.payments, createdAt: { gte: startedAt }, phase: { notIn: ["DELETED", "REJECTED"] } },
    data: { phase: "DELETED", desiredState: "DELETED", deletedAt: new Date(), nextReconcileAt: FAR_FUTURE },
  });
}

/** What one call needs: where it goes, what it sends, and what to remove afterwards. */
type Call = { path: string; form?: Record<string, string>; json?: unknown; cleanup?: () => Promise<void> };

const clusterCall = (p: string) => async (): Promise<Call> => {
  const id = await newCluster();
  return { path: p.replace("[id]", id), form: { clusterId: id } };
};

/** How each entry is called: the table's names, so an entry without one fails below. */
const CALLS: Record<string, (persona: Persona) => Promise<Call>> = {
  "GET /api/healthz": async () => ({ path: "/api/healthz" }),
  "GET /api/readyz": async () => ({ path: "/api/readyz" }),
  "GET /api/metrics": async () => ({ path: "/api/metrics" }),
  "GET /api/auth/[...nextauth]": async () => ({ path: "/api/auth/session" }),
  "POST /api/auth/[...nextauth]": async () => ({ path: "/api/auth/signout", form: {} }),
  "GET /api/openapi.json": async () => ({ path: "/api/openapi.json" }),
  "GET /api/v1/clusters": async () => ({ path: "/api/v1/clusters" }),
  "POST /api/v1/clusters": async () => ({ path: "/api/v1/clusters", json: { team: "payments", template: "team-dev", name: unique() } }),
  "GET /api/v1/clusters/[id]": clusterCall("/api/v1/clusters/[id]"),
  "DELETE /api/v1/clusters/[id]": clusterCall("/api/v1/clusters/[id]"),
  "POST /api/v1/clusters/[id]/sleep": clusterCall("/api/v1/clusters/[id]/sleep"),
  "POST /api/v1/clusters/[id]/wake": clusterCall("/api/v1/clusters/[id]/wake"),
  "GET /api/v1/clusters/[id]/kubeconfig": clusterCall("/api/v1/clusters/[id]/kubeconfig"),

  "action app/(auth)/signin/actions.ts#ssoSignInAction": async () => ({ path: "/signin", form: { callbackUrl: "/" } }),
  "action components/layout/sign-out-button.tsx#(inline)": async () => ({ path: "/", form: {} }),
  "action app/(portal)/request/actions.ts#quickCreateAction": async () => ({ path: "/", form: { templateSlug: "team-dev", teamId: ids.payments } }),
  "action app/(portal)/request/actions.ts#requestClusterAction": async () => ({ path: "/request/team-dev", form: { templateSlug: "team-dev", teamId: ids.payments, name: unique() } }),
  "action app/(portal)/clusters/[id]/actions.ts#sleepClusterAction": clusterCall("/clusters/[id]"),
  "action app/(portal)/clusters/[id]/actions.ts#wakeClusterAction": clusterCall("/clusters/[id]"),
  "action app/(portal)/clusters/[id]/actions.ts#extendClusterAction": async () => {
    const call = await clusterCall("/clusters/[id]")();
    return { ...call, form: { ...call.form, hours: "1" } };
  },
  "action app/(portal)/clusters/[id]/actions.ts#deleteClusterAction": clusterCall("/clusters/[id]"),
  "action app/(portal)/clusters/[id]/actions.ts#retryClusterAction": clusterCall("/clusters/[id]"),
  "action app/(portal)/clusters/[id]/actions.ts#revokeClusterAccessAction": async () => {
    const id = await newCluster();
    return { path: `/clusters/${id}`, form: { clusterId: id, userId: userId("developer") } };
  },
  "action app/(portal)/settings/tokens/actions.ts#createTokenAction": async () => ({ path: "/settings/tokens", form: { name: unique(), expiresInDays: "1", scopes: "read" } }),
  "action app/(portal)/settings/tokens/actions.ts#revokeTokenAction": async () => ({ path: "/settings/tokens", form: { tokenId: (await newToken(userId("developer"))).id } }),
  "action app/(portal)/admin/tokens/actions.ts#revokeAnyTokenAction": async () => ({ path: "/admin/tokens", form: { tokenId: (await newToken(ids.someone)).id } }),
  "action app/(portal)/admin/approvals/actions.ts#decideApprovalsAction": async () => ({ path: "/admin/approvals", form: { decision: "reject", clusterId: await newCluster(), reason: "authorization walk" } }),
  // Harmless when allowed: enabling the enabled host, a quota set to what it is, a version restored that is not
  // deprecated, an incomplete version (400 after the permission check) and draining or forgetting a host of its own.
  "action app/(portal)/admin/hosts/actions.ts#setHostEnabledAction": async () => ({ path: "/admin/hosts", form: { hostId: ids.host, enabled: "true" } }),
  "action app/(portal)/admin/hosts/actions.ts#drainHostAction": async () => {
    const host = await db.hostCluster.create({ data: { name: unique(), connection: "LOCAL", capacityCpuMillicores: 1000, capacityMemoryMiB: 1024 } });
    return { path: "/admin/hosts", form: { hostId: host.id, confirm: host.name, reason: "authorization walk" }, cleanup: async () => void (await db.hostCluster.delete({ where: { id: host.id } })) };
  },
  "action app/(portal)/admin/hosts/actions.ts#forgetHostAction": async () => {
    const host = await db.hostCluster.create({ data: { name: unique(), connection: "LOCAL", capacityCpuMillicores: 1000, capacityMemoryMiB: 1024 } });
    return { path: "/admin/hosts", form: { hostId: host.id, confirm: host.name, reason: "authorization walk" }, cleanup: async () => void (await db.hostCluster.delete({ where: { id: host.id } })) };
  },
  "action app/(portal)/admin/hosts/actions.ts#setHostLicenceAction": async () => {
    const host = await db.hostCluster.create({ data: { name: unique(), connection: "LOCAL", capacityCpuMillicores: 1000, capacityMemoryMiB: 1024 } });
    return { path: "/admin/hosts", form: { hostId: host.id, platformHost: "platform.example.com", accessKey: "walk-key" }, cleanup: async () => void (await db.hostCluster.delete({ where: { id: host.id } })) };
  },
  "action app/(portal)/admin/hosts/actions.ts#removeHostLicenceAction": async () => ({ path: "/admin/hosts", form: { hostId: ids.host } }),
  "action app/(portal)/admin/teams/actions.ts#updateTeamQuotaAction": async () => {
    const q = await db.teamQuota.findUniqueOrThrow({ where: { teamId: ids.search } });
    const form = { teamId: ids.search, maxClusters: String(q.maxClusters), cpuCores: String(q.cpuMillicores / 1000), memoryGiB: String(q.memoryMiB / 1024) };
    return { path: "/admin/teams", form: { ...form, maxLifetimeHours: String(q.maxLifetimeHours), approvalThresholdPercent: String(q.approvalThresholdPercent) } };
  },
  "action app/(portal)/admin/templates/actions.ts#createTemplateVersionAction": async () => ({ path: "/admin/templates/sandbox", form: { templateSlug: "sandbox" } }),
  "action app/(portal)/admin/templates/actions.ts#deprecateTemplateVersionAction": async () => ({ path: "/admin/templates/sandbox", form: { templateSlug: "sandbox", version: String(ids.sandboxVersion), deprecated: "false" } }),

  "page /signin": async () => ({ path: "/signin" }),
  "page /": async () => ({ path: "/" }),
  "page /request/[template]": async () => ({ path: "/request/sandbox" }),
  "page /settings/tokens": async () => ({ path: "/settings/tokens" }),
  "page /api-docs": async () => ({ path: "/api-docs" }),
  "page /clusters/[id]": clusterCall("/clusters/[id]"),
  "page /teams/[slug]": async () => ({ path: "/teams/payments" }),
  "page /admin/approvals": async () => ({ path: "/admin/approvals" }),
  "page /admin/audit": async () => ({ path: "/admin/audit" }),
  "page /admin/clusters": async () => ({ path: "/admin/clusters" }),
  "page /admin/hosts": async () => ({ path: "/admin/hosts" }),
  "page /admin/teams": async () => ({ path: "/admin/teams" }),
  "page /admin/templates": async () => ({ path: "/admin/templates" }),
  "page /admin/templates/[slug]": async () => ({ path: "/admin/templates/sandbox" }),
  "page /admin/tokens": async () => ({ path: "/admin/tokens" }),
};

const actions = builtActions(path.join(root, E2E_DIST_DIR));

test("the production build's server actions are exactly the table's", () => {
  const built = actions.map((a) => `action ${a.file}#${a.name.startsWith("$$RSC_SERVER_ACTION_") ? "(inline)" : a.name}`).sort();
  const listed = ACCESS_TABLE.filter((e) => e.kind === "action").map(entryName).sort();
  expect(built).toEqual(listed);
  expect(Object.keys(CALLS).sort(), "every entry of the table has a call here, and only those").toEqual(ACCESS_TABLE.map(entryName).sort());
});

/** A fresh request context as `persona`: its session cookies, or its API token with `bearer`. */
async function as(playwright: { request: { newContext: (o: object) => Promise<APIRequestContext> } }, persona: Persona, bearer: boolean) {
  return playwright.request.newContext({
    baseURL: origin,
    storageState: bearer ? { cookies: [], origins: [] } : sessions[persona],
    extraHTTPHeaders: bearer ? { Authorization: `Bearer ${tokens[persona]}` } : {},
  });
}

/** What came back, in a few words, and why that is not `expected` (null when it is). */
type Verdict = { got: string; wrong: string | null };

async function routeVerdict(res: APIResponse, expected: Outcome): Promise<Verdict> {
  const status = res.status();
  const text = await res.text();
  const got = `${status} ${text.replace(/\s+/g, " ").slice(0, 160)}`;
  if (expected === OK) return { got, wrong: [401, 403, 404].includes(status) || status >= 500 ? "refused or failed" : null };
  if (status !== expected) return { got, wrong: `expected ${expected}` };
  // Every refusal says why: { error: { code, message } } from our handlers, a text body otherwise.
  const json = (res.headers()["content-type"] ?? "").includes("json");
  const message = json ? (JSON.parse(text) as { error?: { message?: string } }).error?.message : text.trim();
  return { got, wrong: message ? null : "a refusal without a message" };
}

async function pageVerdict(res: APIResponse, expected: Outcome): Promise<Verdict> {
  const status = res.status();
  const location = res.headers()["location"] ?? "";
  // A page that calls notFound() after its response started streaming (a loading.tsx above it) answers 200.
  const soft404 = status === 200 && /<meta name="robots" content="noindex"/.test(await res.text());
  const got = `${status}${location ? ` → ${location}` : ""}${soft404 ? " with the not-found page" : ""}`;
  const toSignin = status >= 300 && status < 400 && /\/signin(\?|$)/.test(location);
  if (expected === "signin") return { got, wrong: toSignin ? null : "expected a redirect to /signin" };
  if (expected === OK) return { got, wrong: (status === 200 && !soft404) || (status >= 300 && status < 400 && !toSignin) ? null : "expected the page" };
  return { got, wrong: status === expected ? null : `expected ${expected}` };
}

function actionVerdict(a: ActionAnswer, expected: Outcome): Verdict {
  if (a.status >= 400) return { got: `HTTP ${a.status} ${a.body.slice(0, 160)}`, wrong: "the action failed" };
  if (a.redirect !== undefined) return { got: `redirect → ${a.redirect}`, wrong: expected === OK ? null : `expected ${expected}` };
  if (!a.result) return { got: a.body.slice(0, 160), wrong: "no result in the answer" };
  const { ok, code, message, fieldErrors } = a.result;
  const got = `${ok ? "ok" : code}: ${message}${typeof fieldErrors === "object" ? ` ${JSON.stringify(fieldErrors)}` : ""}`;
  if (expected === OK) return { got, wrong: ok || !["UNAUTHENTICATED", "FORBIDDEN", "NOT_FOUND", "INTERNAL", undefined].includes(code) ? null : "refused or failed" };
  const want = REFUSAL_CODE[expected as 401 | 403 | 404];
  if (ok || code !== want) return { got, wrong: `expected ${want}` };
  return { got, wrong: message ? null : "a refusal without a message" };
}

async function callEntry(request: APIRequestContext, e: AccessEntry, call: Call, persona: Persona): Promise<Verdict> {
  const expected = outcomeOf(e, persona);
  if (e.kind === "page") return await pageVerdict(await request.get(call.path, { maxRedirects: 0 }), expected);
  if (e.kind === "route") {
    const res = await request.fetch(call.path, {
      method: e.method,
      maxRedirects: 0,
      // Browsers send Origin on every POST, PUT, PATCH and DELETE; /api/v1 refuses cross-site ones made with a session.
      headers: e.method === "GET" ? {} : { Origin: origin },
      ...(call.json !== undefined ? { data: call.json } : call.form ? { form: call.form } : {}),
    });
    return routeVerdict(res, expected);
  }
  const built = actions.find((a) => a.file === e.file && (a.name === e.action || (e.action === "(inline)" && a.name.startsWith("$$RSC_"))));
  if (!built) return { got: "nothing", wrong: "not in the build" };
  // useActionState actions take (previous state, form); plain form actions take the form alone.
  const args = /Action$/.test(e.action) && e.action !== "ssoSignInAction" ? [{ ok: false }, null] : [null];
  return actionVerdict(await callServerAction(request, { page: call.path, id: built.id, args, form: call.form ?? {}, origin }), expected);
}

for (const entry of ACCESS_TABLE) {
  test(`${entryName(entry)}: ${entry.who}`, async ({ playwright }) => {
    const ways = entry.kind === "route" && entry.path.startsWith("/api/v1/") ? [false, true] : [false];
    const mismatches: string[] = [];
    for (const bearer of ways)
      for (const persona of PERSONAS) {
        const call = await CALLS[entryName(entry)]!(persona);
        const request = await as(playwright, persona, bearer);
        try {
          const { got, wrong } = await callEntry(request, entry, call, persona);
          const who = `${persona}${bearer ? " (API token)" : ""}`;
          test.info().annotations.push({ type: who, description: got });
          if (wrong) mismatches.push(`${who}: ${wrong}; got ${got}`);
        } finally {
          await request.dispose();
          await call.cleanup?.();
          await retire();
        }
      }
    expect(mismatches, `${entryName(entry)} (${entry.who}) does not do what lib/authz/access-table.ts says`).toEqual([]);
  });
}
