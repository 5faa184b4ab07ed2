// A real authorization-code flow: a real OpenID Connect provider (scripts/oidc/provider.ts: oidc-provider on
// localhost, here in its "auto" mode, which signs in the account chosen with loginAs() and keeps single
// sign-on) and the real Auth.js route handlers (lib/auth/route-handlers.ts), driven with NextRequests, cookie
// jars and hand-followed redirects. Nothing of Auth.js or the provider is mocked.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { signInErrorMessage } from "@/lib/auth/messages";
import { CookieJar, followIdpRedirects } from "@/scripts/oidc/http-sign-in";
import { startOidcProvider, type OidcProviderHandle } from "@/scripts/oidc/provider";
import { PortalClient, type AuthHandlers } from "@/scripts/testenv/portal-client";
// Aliased: the `use` prefix makes eslint-plugin-react-hooks mistake this vitest helper for a React hook.
import { useTestDatabase as perFileTestDatabase } from "@/scripts/testenv/per-file";

const PORTAL = "http://localhost:3999";
const CALLBACK = `${PORTAL}/api/auth/callback/oidc`;
const CLIENT = { client_id: "vcluster-portal", client_secret: "portal-test-secret-0123456789" };

const alice = {
  sub: "alice-0001",
  email: "Alice@Example.com",
  email_verified: true,
  name: "Alice Liddell",
  groups: ["team:payments:lead", "team:search", "vcluster-portal-admins", "team:unknown"],
};

// A migrated, empty database of this file's own (sets DATABASE_URL at once).
const database = perFileTestDatabase({ seeded: false });
let idp: OidcProviderHandle;
let handlers: AuthHandlers;
let loadCurrentUser: typeof import("@/lib/auth/session").loadCurrentUser;
const teamIds: Record<string, string> = {};

beforeAll(async () => {
  idp = await startOidcProvider({
    interaction: "auto",
    clients: [{ ...CLIENT, redirect_uris: [CALLBACK], grant_types: ["authorization_code"], response_types: ["code"] }],
    accounts: [alice],
    groupsIn: "userinfo", // the claim reaches the portal through the userinfo endpoint only
  });

  // env() is memoized per module instance: set the environment, then import the config afresh.
  Object.assign(process.env, {
    DATABASE_URL: database.url(),
    AUTH_URL: PORTAL,
    AUTH_SECRET: "integration-test-secret-with-at-least-32-chars",
    AUTH_OIDC_ISSUER: idp.issuer,
    AUTH_OIDC_CLIENT_ID: CLIENT.client_id,
    AUTH_OIDC_CLIENT_SECRET: CLIENT.client_secret,
    AUTH_OIDC_NAME: "Test IdP",
  });
  vi.resetModules();
  handlers = (await import("@/lib/auth/route-handlers")).authRouteHandlers;
  ({ loadCurrentUser } = await import("@/lib/auth/session"));

  for (const slug of ["payments", "search", "platform"]) {
    const team = await database.prisma().team.upsert({ where: { slug }, create: { slug, name: slug[0]!.toUpperCase() + slug.slice(1) }, update: {} });
    teamIds[slug] = team.id;
  }
}, 120_000);

afterAll(async () => {
  await idp?.stop();
  // db() (used by the config) keeps one client on globalThis: close it before the database is dropped.
  const g = globalThis as { prisma?: { $disconnect(): Promise<void> } };
  await g.prisma?.$disconnect();
  delete g.prisma;
});

/** Starts at the portal, goes through the IdP, and comes back to the portal's callback. */
async function signIn(portal: PortalClient, idpJar: CookieJar, callbackUrl = "/clusters") {
  const csrfToken = await portal.csrfToken();
  const start = await portal.request("POST", "/api/auth/signin/oidc", { csrfToken, callbackUrl });
  expect(start.status).toBe(302);
  const authorize = new URL(start.headers.get("location")!);
  const callback = await followIdpRedirects(authorize.href, idpJar, CALLBACK);
  const res = await portal.request("GET", callback);
  return { authorize, callback: new URL(callback), res };
}

const membershipsOf = async (userId: string) =>
  (
    await database.prisma().membership.findMany({
      where: { userId },
      select: { role: true, source: true, team: { select: { slug: true } } },
      orderBy: { team: { slug: "asc" } },
    })
  ).map((m) => ({ team: m.team.slug, role: m.role, source: m.source }));

describe("OIDC sign-in against a real provider", () => {
  const idpJar = new CookieJar();
  let userId: string;

  it("creates the user and account, syncs admin and team groups, and issues a session", async () => {
    const portal = new PortalClient(PORTAL, handlers);
    const { authorize, callback, res } = await signIn(portal, idpJar);

    // The authorization request used PKCE (S256), state and nonce.
    expect(authorize.origin).toBe(idp.issuer);
    expect(authorize.pathname).toBe("/auth");
    expect(authorize.searchParams.get("client_id")).toBe(CLIENT.client_id);
    expect(authorize.searchParams.get("redirect_uri")).toBe(CALLBACK);
    expect(authorize.searchParams.get("code_challenge_method")).toBe("S256");
    expect(authorize.searchParams.get("code_challenge")).toBeTruthy();
    expect(authorize.searchParams.get("state")).toBeTruthy();
    expect(authorize.searchParams.get("nonce")).toBeTruthy();
    expect(callback.searchParams.get("code")).toBeTruthy();
    expect(idp.logins()).toBe(1);

    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`${PORTAL}/clusters`);
    expect(portal.hasSessionCookie()).toBe(true);

    const user = await database.prisma().user.findUniqueOrThrow({ where: { email: "alice@example.com" }, include: { accounts: true } });
    userId = user.id;
    expect(user).toMatchObject({ name: "Alice Liddell", isAdmin: true });
    expect(user.accounts).toHaveLength(1);
    expect(user.accounts[0]).toMatchObject({ provider: "oidc", type: "oidc", providerAccountId: alice.sub, access_token: null, refresh_token: null });
    expect(user.accounts[0]!.id_token).toBeTruthy();

    expect(await membershipsOf(user.id)).toEqual([
      { team: "payments", role: "LEAD", source: "idp" },
      { team: "search", role: "MEMBER", source: "idp" },
    ]);
    expect(await database.prisma().team.findUnique({ where: { slug: "unknown" } })).toBeNull();

    const session = await portal.session();
    expect(session?.user).toMatchObject({ id: user.id, email: "alice@example.com", isAdmin: true });

    const audit = await database.prisma().auditEvent.findMany({ where: { actorId: user.id }, orderBy: { createdAt: "asc" } });
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(["auth.idp_groups_synced", "auth.signed_in"]));

    const current = await loadCurrentUser(database.prisma(), user.id);
    expect(current).toEqual({
      id: user.id,
      email: "alice@example.com",
      name: "Alice Liddell",
      isAdmin: true,
      memberships: [
        { teamId: teamIds.payments, teamSlug: "payments", teamName: "Payments", role: "LEAD" },
        { teamId: teamIds.search, teamSlug: "search", teamName: "Search", role: "MEMBER" },
      ],
    });
  });

  it("on the next sign-in removes what the IdP no longer grants and keeps manual memberships", async () => {
    await database.prisma().membership.create({ data: { userId, teamId: teamIds.platform!, role: "LEAD", source: "manual" } });
    idp.setAccount({ ...alice, groups: ["team:payments"] });

    const portal = new PortalClient(PORTAL, handlers); // a new browser; the IdP session is reused (SSO)
    const { res } = await signIn(portal, idpJar, "/");
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`${PORTAL}/`);
    expect(idp.logins()).toBe(1); // single sign-on: the IdP session was reused, no second login

    expect(await membershipsOf(userId)).toEqual([
      { team: "payments", role: "MEMBER", source: "idp" },
      { team: "platform", role: "LEAD", source: "manual" },
    ]);
    const user = await database.prisma().user.findUniqueOrThrow({ where: { id: userId }, include: { accounts: true } });
    expect(user.isAdmin).toBe(false);
    expect(user.accounts).toHaveLength(1);
    expect((await portal.session())?.user).toMatchObject({ id: userId, isAdmin: false });
  });

  it("falls back to the ID token's groups claim when userinfo has none (as with Entra ID)", async () => {
    idp.setGroupsIn("id_token");
    idp.setAccount({ ...alice, groups: ["team:search:lead", "vcluster-portal-admins"] });
    try {
      const portal = new PortalClient(PORTAL, handlers);
      const { res } = await signIn(portal, idpJar);
      expect(res.status).toBe(302);
      expect(await membershipsOf(userId)).toEqual([
        { team: "platform", role: "LEAD", source: "manual" },
        { team: "search", role: "LEAD", source: "idp" },
      ]);
      expect((await database.prisma().user.findUniqueOrThrow({ where: { id: userId } })).isAdmin).toBe(true);
    } finally {
      idp.setGroupsIn("userinfo");
    }
  });

  it("refuses the callback without the browser's state and PKCE cookies", async () => {
    const victim = new PortalClient(PORTAL, handlers);
    const csrfToken = await victim.csrfToken();
    const start = await victim.request("POST", "/api/auth/signin/oidc", { csrfToken, callbackUrl: "/" });
    const callback = await followIdpRedirects(start.headers.get("location")!, idpJar, CALLBACK);

    const attacker = new PortalClient(PORTAL, handlers); // has none of the victim's check cookies
    const res = await attacker.request("GET", callback);
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get("location")!);
    expect(location.pathname).toBe("/signin");
    expect(location.searchParams.get("error")).toBeTruthy();
    expect(attacker.hasSessionCookie()).toBe(false);
  });

  it("refuses an IdP account whose e-mail is unverified, without linking it to the existing user", async () => {
    idp.setAccount({ sub: "mallory-0666", email: "alice@example.com", email_verified: false, name: "Mallory", groups: ["vcluster-portal-admins"] });
    idp.loginAs("mallory-0666");
    const portal = new PortalClient(PORTAL, handlers);
    const { res } = await signIn(portal, new CookieJar());
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get("location")!);
    expect(location.pathname).toBe("/signin");
    expect(location.searchParams.get("error")).toBe("AccessDenied");
    expect(portal.hasSessionCookie()).toBe(false);
    expect(await database.prisma().account.count({ where: { providerAccountId: "mallory-0666" } })).toBe(0);
    expect((await database.prisma().user.findUniqueOrThrow({ where: { id: userId } })).isAdmin).toBe(true); // unchanged
  });

  it("does not link an IdP account to an existing user by e-mail without email_verified: true, and says why", async () => {
    // A person an admin created before they ever signed in (no Account row yet).
    const bob = await database.prisma().user.create({ data: { email: "bob@example.com", name: "Bob" } });
    idp.setAccount({ sub: "bob-0002", email: "Bob@Example.com", name: "Bob from the IdP", groups: ["vcluster-portal-admins"] }); // no email_verified claim
    idp.loginAs("bob-0002");
    const portal = new PortalClient(PORTAL, handlers);
    const { res } = await signIn(portal, new CookieJar());
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get("location")!);
    expect(location.origin + location.pathname).toBe(`${PORTAL}/signin`);
    expect(location.searchParams.get("error")).toBe("AccessDenied");
    expect(location.searchParams.get("code")).toBe("email_unverified");
    // What the sign-in page shows for that redirect.
    expect(signInErrorMessage(location.searchParams.get("error"), location.searchParams.get("code"))).toMatch(/^Your identity provider did not confirm this e-mail address/);
    expect(portal.hasSessionCookie()).toBe(false);
    expect(await database.prisma().account.count({ where: { userId: bob.id } })).toBe(0);
    expect((await database.prisma().user.findUniqueOrThrow({ where: { id: bob.id } })).isAdmin).toBe(false);

    // The string form some IdPs send counts as a refusal too.
    idp.setAccount({ sub: "bob-0002", email: "bob@example.com", email_verified: "false" as unknown as boolean, name: "Bob" });
    const again = await signIn(new PortalClient(PORTAL, handlers), new CookieJar());
    expect(new URL(again.res.headers.get("location")!).searchParams.get("code")).toBe("email_unverified");
    expect(await database.prisma().account.count({ where: { userId: bob.id } })).toBe(0);
  });

  it("links an IdP account to the existing user when the IdP says email_verified: true", async () => {
    const bob = await database.prisma().user.findUniqueOrThrow({ where: { email: "bob@example.com" } });
    idp.setAccount({ sub: "bob-0002", email: "bob@example.com", email_verified: true, name: "Bob", groups: ["team:search"] });
    idp.loginAs("bob-0002");
    const portal = new PortalClient(PORTAL, handlers);
    const { res } = await signIn(portal, new CookieJar());
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`${PORTAL}/clusters`);
    expect(portal.hasSessionCookie()).toBe(true);
    expect((await portal.session())?.user).toMatchObject({ id: bob.id, email: "bob@example.com" });
    const accounts = await database.prisma().account.findMany({ where: { userId: bob.id } });
    expect(accounts.map((a) => a.providerAccountId)).toEqual(["bob-0002"]);
    expect(await membershipsOf(bob.id)).toEqual([{ team: "search", role: "MEMBER", source: "idp" }]);

    // Linked now: a later sign-in without the claim is an ordinary sign-in of that account.
    idp.setAccount({ sub: "bob-0002", email: "bob@example.com", name: "Bob", groups: ["team:search"] });
    const later = await signIn(new PortalClient(PORTAL, handlers), new CookieJar());
    expect(later.res.headers.get("location")).toBe(`${PORTAL}/clusters`);
  });

  it("lets a new person without the claim in (no existing user to link to)", async () => {
    idp.setAccount({ sub: "carol-0003", email: "carol@example.com", name: "Carol" });
    idp.loginAs("carol-0003");
    const portal = new PortalClient(PORTAL, handlers);
    const { res } = await signIn(portal, new CookieJar());
    expect(res.headers.get("location")).toBe(`${PORTAL}/clusters`);
    const carol = await database.prisma().user.findUniqueOrThrow({ where: { email: "carol@example.com" }, include: { accounts: true } });
    expect(carol.accounts.map((a) => a.providerAccountId)).toEqual(["carol-0003"]);
  });
});
