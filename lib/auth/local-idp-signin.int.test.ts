// Signing in through the local OpenID Connect provider exactly as `npm start` runs it (scripts/start/
// local-oidc.ts: a sign-in page listing the seeded people with their groups) into the real Auth.js route
// handlers, on the seeded database: the seeded people are linked by their verified e-mail, their groups
// become teams and admin through lib/auth/sync-groups.ts, a person in no team gets in with no team, and a
// sign-in cancelled at the provider lands on the sign-in page with a message saying so.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { signInErrorMessage } from "@/lib/auth/messages";
import { CookieJar, peopleOnPage, signInThroughProvider } from "@/scripts/oidc/http-sign-in";
import { NO_TEAM_PERSON } from "@/scripts/oidc/people";
import { newSigningKey } from "@/scripts/oidc/provider";
import { startLocalOidc, type LocalOidc } from "@/scripts/start/local-oidc";
import { PortalClient, type AuthHandlers } from "@/scripts/testenv/portal-client";
// Aliased: the `use` prefix makes eslint-plugin-react-hooks mistake this vitest helper for a React hook.
import { useTestDatabase as perFileTestDatabase } from "@/scripts/testenv/per-file";

const PORTAL = "http://localhost:3997";

const database = perFileTestDatabase({ seeded: true });
let idp: LocalOidc;
let handlers: AuthHandlers;
let loadCurrentUser: typeof import("@/lib/auth/session").loadCurrentUser;

beforeAll(async () => {
  idp = await startLocalOidc({
    portalUrl: PORTAL,
    port: 0,
    clientSecret: randomBytes(32).toString("base64url"),
    cookieKey: randomBytes(32).toString("base64url"),
    signingKey: newSigningKey(),
  });
  Object.assign(process.env, {
    DATABASE_URL: database.url(),
    AUTH_URL: PORTAL,
    AUTH_SECRET: randomBytes(32).toString("base64"),
    AUTH_OIDC_ISSUER: idp.issuer,
    AUTH_OIDC_CLIENT_ID: idp.clientId,
    AUTH_OIDC_CLIENT_SECRET: idp.clientSecret,
  });
  vi.resetModules();
  handlers = (await import("@/lib/auth/route-handlers")).authRouteHandlers;
  ({ loadCurrentUser } = await import("@/lib/auth/session"));
}, 120_000);

afterAll(async () => {
  await idp?.stop();
  // db() (used by the config) keeps one client on globalThis: close it before the database is dropped.
  const g = globalThis as { prisma?: { $disconnect(): Promise<void> } };
  await g.prisma?.$disconnect();
  delete g.prisma;
});

const portal = () => new PortalClient(PORTAL, handlers);

const membershipsOf = async (email: string) =>
  (
    await database.prisma().membership.findMany({
      where: { user: { email } },
      select: { role: true, team: { select: { slug: true } } },
      orderBy: { team: { slug: "asc" } },
    })
  ).map((m) => [m.team.slug, m.role]);

describe("sign-in through the local OpenID Connect provider", () => {
  it("shows a sign-in page listing the seeded people and the person in no team, with their groups", async () => {
    const { page, res } = await signInThroughProvider(portal(), { as: "dev.payments@example.com" });
    expect(res.status).toBe(302);
    expect([...peopleOnPage(page!).keys()]).toEqual([
      "admin@example.com",
      "lead.payments@example.com",
      "dev.payments@example.com",
      "dev.search@example.com",
      NO_TEAM_PERSON.email,
    ]);
    for (const group of ["team:payments:lead", "team:payments", "team:search", "team:platform:lead", "vcluster-portal-admins"]) expect(page).toContain(`<code>${group}</code>`);
    expect(page).toContain("no groups");
  });

  it("signs the admin in: linked to the seeded user by the verified e-mail, admin through the group", async () => {
    const client = portal();
    const { authorize, res } = await signInThroughProvider(client, { as: "admin@example.com", callbackUrl: "/admin/approvals" });
    expect(authorize.origin).toBe(idp.issuer);
    expect(authorize.hostname).toBe("localhost");
    expect(res.headers.get("location")).toBe(`${PORTAL}/admin/approvals`);
    const admin = await database.prisma().user.findUniqueOrThrow({ where: { email: "admin@example.com" }, include: { accounts: true } });
    expect(admin.isAdmin).toBe(true);
    expect(admin.accounts.map((a) => [a.provider, a.providerAccountId])).toEqual([["oidc", "local:admin@example.com"]]);
    expect((await client.session())?.user).toMatchObject({ id: admin.id, email: "admin@example.com", isAdmin: true });
    expect(await membershipsOf("admin@example.com")).toEqual([["platform", "LEAD"]]);
  });

  it("signs the team lead and a developer in with their teams; the page is shown again to switch person", async () => {
    const idpJar = new CookieJar(); // one browser: the provider's session is kept between the two sign-ins
    const lead = portal();
    await signInThroughProvider(lead, { as: "lead.payments@example.com", idpJar });
    const leadId = (await lead.session())!.user!.id;
    expect((await loadCurrentUser(database.prisma(), leadId))?.memberships.map((m) => [m.teamSlug, m.role])).toEqual([["payments", "LEAD"]]);

    const dev = portal();
    const { page } = await signInThroughProvider(dev, { as: "dev.search@example.com", idpJar });
    expect(page).toBeDefined(); // not signed in silently as the lead again
    const session = (await dev.session())!.user!;
    expect(session).toMatchObject({ email: "dev.search@example.com", isAdmin: false });
    expect((await loadCurrentUser(database.prisma(), session.id))?.memberships.map((m) => [m.teamSlug, m.role])).toEqual([["search", "MEMBER"]]);
  });

  it("lets a person in no team in, with no team and no admin rights (created on first sign-in)", async () => {
    expect(await database.prisma().user.findUnique({ where: { email: NO_TEAM_PERSON.email } })).toBeNull();
    const client = portal();
    const { res } = await signInThroughProvider(client, { as: NO_TEAM_PERSON.email });
    expect(res.headers.get("location")).toBe(`${PORTAL}/`);
    const user = await database.prisma().user.findUniqueOrThrow({ where: { email: NO_TEAM_PERSON.email } });
    expect(user).toMatchObject({ name: NO_TEAM_PERSON.name, isAdmin: false });
    expect(await loadCurrentUser(database.prisma(), user.id)).toMatchObject({ isAdmin: false, memberships: [] });
  });

  it("a sign-in cancelled at the provider lands on the sign-in page with a message saying so, and no session", async () => {
    const client = portal();
    const before = idp.cancellations();
    const { callback, res } = await signInThroughProvider(client, { as: "cancel" });
    expect(idp.cancellations()).toBe(before + 1);
    expect(callback.searchParams.get("error")).toBe("access_denied");
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get("location")!);
    expect(location.origin + location.pathname).toBe(`${PORTAL}/signin`);
    expect(Object.fromEntries(location.searchParams)).toEqual({ error: "OAuthCallbackError", code: "idp_access_denied" });
    expect(signInErrorMessage(location.searchParams.get("error"), location.searchParams.get("code"))).toMatch(/^The sign-in was cancelled or refused at your identity provider/);
    expect(client.hasSessionCookie()).toBe(false);
    expect(await client.session()).toBeNull();
  });

  it("refuses a forged sign-in POST without the CSRF token", async () => {
    const client = portal();
    const res = await client.request("POST", "/api/auth/signin/oidc", { callbackUrl: "/" });
    const location = new URL(res.headers.get("location")!);
    expect(location.origin).toBe(PORTAL);
    expect(location.searchParams.get("error")).toBe("MissingCSRF");
    expect(client.hasSessionCookie()).toBe(false);
  });

  it("does not redirect off-site after sign-in", async () => {
    const { res } = await signInThroughProvider(portal(), { as: "dev.payments@example.com", callbackUrl: "https://evil.example/steal" });
    expect(new URL(res.headers.get("location")!).origin).toBe(PORTAL);
  });

  it("reads memberships fresh from the database, and a deleted user's session yields no user", async () => {
    const client = portal();
    await signInThroughProvider(client, { as: NO_TEAM_PERSON.email });
    const id = (await client.session())!.user!.id;
    const team = await database.prisma().team.findUniqueOrThrow({ where: { slug: "search" } });
    await database.prisma().membership.create({ data: { userId: id, teamId: team.id, role: "MEMBER" } });
    expect((await loadCurrentUser(database.prisma(), id))?.memberships.map((m) => [m.teamSlug, m.role])).toEqual([["search", "MEMBER"]]);

    await database.prisma().user.delete({ where: { id } });
    expect(await loadCurrentUser(database.prisma(), id)).toBeNull();
  });
});
