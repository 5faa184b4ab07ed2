import { describe, expect, it } from "vitest";
import { EMAIL_UNVERIFIED_URL, authSecret, buildAuthConfig, emailVerifiedClaim } from "@/lib/auth/config";
import type { Db } from "@/lib/db/client";
import { ConfigError, parseEnv } from "@/lib/env";

const base = { DATABASE_URL: "postgres://u:p@localhost:5432/portal", NODE_ENV: "development", AUTH_SECRET: "s".repeat(44) };
const oidc = { AUTH_OIDC_ISSUER: "https://idp.example.com", AUTH_OIDC_CLIENT_ID: "portal", AUTH_OIDC_CLIENT_SECRET: "s3cret" };
const fakeDb = {} as Db; // buildAuthConfig only wraps it; nothing is queried here

const providerIds = (e: Record<string, string>) =>
  buildAuthConfig(parseEnv(e), fakeDb).providers.map((p) => {
    const provider = (typeof p === "function" ? p() : p) as { id: string; options?: { id?: string } };
    return provider.options?.id ?? provider.id;
  });

describe("auth configuration", () => {
  it("has one sign-in path: the OIDC provider, when it is configured (there is no development sign-in)", () => {
    expect(providerIds(base)).toEqual([]);
    expect(providerIds({ ...base, ...oidc })).toEqual(["oidc"]);
    // The variable of the removed development sign-in does nothing any more.
    expect(providerIds({ ...base, ...oidc, AUTH_DEV_LOGIN: "true" })).toEqual(["oidc"]);
  });

  it("uses JWT sessions, our pages, and PKCE + state + nonce for OIDC", () => {
    const config = buildAuthConfig(parseEnv({ ...base, ...oidc }), fakeDb);
    expect(config.session?.strategy).toBe("jwt");
    expect(config.pages).toEqual({ signIn: "/signin", error: "/signin" });
    const provider = config.providers[0] as { type: string; issuer: string; checks: string[]; clientId: string };
    expect(provider).toMatchObject({ type: "oidc", issuer: "https://idp.example.com", clientId: "portal" });
    expect(provider.checks).toEqual(expect.arrayContaining(["pkce", "state", "nonce"]));
  });

  it("maps an OIDC profile to a user", () => {
    const config = buildAuthConfig(parseEnv({ ...base, ...oidc }), fakeDb);
    const provider = config.providers[0] as unknown as { profile: (p: Record<string, unknown>) => Record<string, unknown> };
    expect(provider.profile({ sub: "abc", email: " Alice@Example.COM ", given_name: "Alice", family_name: "Liddell", groups: ["x"] })).toEqual({
      id: "abc",
      email: "alice@example.com",
      name: "Alice Liddell",
      image: null,
    });
    expect(provider.profile({ sub: "abc", email: "a@b.c", name: "A", preferred_username: "a", picture: "https://x/p.png" })).toEqual({
      id: "abc",
      email: "a@b.c",
      name: "A",
      image: "https://x/p.png",
    });
  });

  it("uses AUTH_SECRET and has no built-in or derived one", () => {
    const secret = "x".repeat(40);
    expect(authSecret(parseEnv({ ...base, AUTH_SECRET: secret }))).toBe(secret);
    const { AUTH_SECRET: _unused, ...withoutSecret } = base;
    void _unused;
    for (const NODE_ENV of ["development", "test", "production"] as const) {
      const e = { ...parseEnv({ ...withoutSecret, PORTAL_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString("base64") }), NODE_ENV };
      expect(() => authSecret(e), NODE_ENV).toThrow(ConfigError);
      expect(() => authSecret(e), NODE_ENV).toThrow(/AUTH_SECRET is required.*npm start generates one/);
      expect(() => buildAuthConfig(e, fakeDb), NODE_ENV).toThrow(/AUTH_SECRET is required/);
    }
  });
});

describe("emailVerifiedClaim", () => {
  it("reads userinfo first, then the ID token; booleans or their string forms; undefined when nobody says", () => {
    expect(emailVerifiedClaim({ email_verified: true })).toBe(true);
    expect(emailVerifiedClaim({ email_verified: "true" })).toBe(true);
    expect(emailVerifiedClaim({ email_verified: "false" }, { email_verified: true })).toBe(false);
    expect(emailVerifiedClaim({}, { email_verified: true })).toBe(true);
    expect(emailVerifiedClaim({ email_verified: "yes" }, undefined)).toBeUndefined();
    expect(emailVerifiedClaim(undefined, {})).toBeUndefined();
  });
  it("refusals land on the sign-in page with a code it explains", () => {
    expect(EMAIL_UNVERIFIED_URL).toBe("/signin?error=AccessDenied&code=email_unverified");
  });
});
