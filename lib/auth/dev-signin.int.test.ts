// The development sign-in through the real Auth.js handlers, and the session lookup that follows it.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { PortalClient, type AuthHandlers } from "@/lib/auth/testing/portal-client";
// Aliased: the `use` prefix makes eslint-plugin-react-hooks mistake this vitest helper for a React hook.
import { useTestDatabase as perFileTestDatabase } from "@/scripts/testenv/per-file";

const PORTAL = "http://localhost:3998";

// Our own users rather than the seed's, so the expectations do not depend on the seed's contents.
const database = perFileTestDatabase({ seeded: false });
let handlers: AuthHandlers;
let loadCurrentUser: typeof import("@/lib/auth/session").loadCurrentUser;
let listDevSignInUsers: typeof import("@/lib/auth/dev-users").listDevSignInUsers;

beforeAll(async () => {
  Object.assign(process.env, { DATABASE_URL: database.url(), AUTH_URL: PORTAL, AUTH_DEV_LOGIN: "true" });
  delete process.env.AUTH_SECRET; // exercise the derived development secret
  for (const key of ["AUTH_OIDC_ISSUER", "AUTH_OIDC_CLIENT_ID", "AUTH_OIDC_CLIENT_SECRET"]) delete process.env[key];
  vi.resetModules();
  ({ handlers } = await import("@/lib/auth/config"));
  ({ loadCurrentUser } = await import("@/lib/auth/session"));
  ({ listDevSignInUsers } = await import("@/lib/auth/dev-users"));

  const payments = await database.prisma().team.create({ data: { slug: "payments", name: "Payments" } });
  await database.prisma().user.create({ data: { email: "admin@example.com", name: "Ada Admin", isAdmin: true } });
  await database.prisma().user.create({
    data: { email: "dev.payments@example.com", name: "Dev Payments", memberships: { create: { teamId: payments.id, role: "MEMBER" } } },
  });
}, 120_000);

afterAll(async () => {
  // db() (used by the config) keeps one client on globalThis: close it before the database is dropped.
  const g = globalThis as { prisma?: { $disconnect(): Promise<void> } };
  await g.prisma?.$disconnect();
  delete g.prisma;
});

async function devSignIn(portal: PortalClient, email: string, callbackUrl = "/clusters") {
  const csrfToken = await portal.csrfToken();
  return portal.request("POST", "/api/auth/callback/dev", { csrfToken, email, callbackUrl });
}

describe("development sign-in", () => {
  it("lists the users ordered by e-mail with their teams", async () => {
    expect(await listDevSignInUsers(database.prisma())).toEqual([
      { email: "admin@example.com", name: "Ada Admin", isAdmin: true, teams: [] },
      { email: "dev.payments@example.com", name: "Dev Payments", isAdmin: false, teams: [{ slug: "payments", name: "Payments", role: "MEMBER" }] },
    ]);
  });

  it("signs in an existing user by e-mail (case-insensitive) and the session carries id and isAdmin", async () => {
    const portal = new PortalClient(PORTAL, handlers);
    const res = await devSignIn(portal, "  Admin@Example.com ");
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`${PORTAL}/clusters`);
    const admin = await database.prisma().user.findUniqueOrThrow({ where: { email: "admin@example.com" } });
    expect((await portal.session())?.user).toMatchObject({ id: admin.id, email: "admin@example.com", isAdmin: true });
    // No Account row: the development sign-in does not link anything.
    expect(await database.prisma().account.count()).toBe(0);
  });

  it("refuses an unknown e-mail with a readable error code, and sets no session", async () => {
    const portal = new PortalClient(PORTAL, handlers);
    const res = await devSignIn(portal, "nobody@example.com");
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get("location")!);
    expect(location.pathname).toBe("/signin");
    expect(location.searchParams.get("error")).toBe("CredentialsSignin");
    expect(location.searchParams.get("code")).toBe("unknown_user");
    expect(portal.hasSessionCookie()).toBe(false);
    const { signInErrorMessage } = await import("@/lib/auth/messages");
    expect(signInErrorMessage(location.searchParams.get("error"), location.searchParams.get("code"))).toMatch(/^No seeded user with that e-mail/);
  });

  it("refuses a malformed e-mail", async () => {
    const res = await devSignIn(new PortalClient(PORTAL, handlers), "not-an-email");
    expect(new URL(res.headers.get("location")!).searchParams.get("code")).toBe("invalid_email");
  });

  it("refuses a forged POST without the CSRF token", async () => {
    const portal = new PortalClient(PORTAL, handlers);
    const res = await portal.request("POST", "/api/auth/callback/dev", { email: "admin@example.com", callbackUrl: "/" });
    expect(portal.hasSessionCookie()).toBe(false);
    expect(new URL(res.headers.get("location")!).searchParams.get("error")).toBe("MissingCSRF");
  });

  it("does not redirect off-site after sign-in", async () => {
    const portal = new PortalClient(PORTAL, handlers);
    const res = await devSignIn(portal, "admin@example.com", "https://evil.example/steal");
    expect(new URL(res.headers.get("location")!).origin).toBe(PORTAL);
  });

  it("reads memberships fresh from the database, and a deleted user's session yields no user", async () => {
    const portal = new PortalClient(PORTAL, handlers);
    await devSignIn(portal, "dev.payments@example.com");
    const session = await portal.session();
    const id = session!.user!.id;
    expect((await loadCurrentUser(database.prisma(), id))?.memberships.map((m) => [m.teamSlug, m.role])).toEqual([["payments", "MEMBER"]]);

    await database.prisma().membership.updateMany({ where: { userId: id }, data: { role: "LEAD" } });
    expect((await loadCurrentUser(database.prisma(), id))?.memberships.map((m) => [m.teamSlug, m.role])).toEqual([["payments", "LEAD"]]);

    await database.prisma().user.delete({ where: { id } });
    expect(await loadCurrentUser(database.prisma(), id)).toBeNull();
  });
});
