import { describe, expect, it } from "vitest";
import { ConfigError, parseEnv } from "./env";

const base = { DATABASE_URL: "postgres://u:p@localhost:5432/db" };

function problems(source: Record<string, string | undefined>): string[] {
  try {
    parseEnv(source);
    return [];
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).problems;
  }
}

describe("configuration", () => {
  it("accepts a minimal development configuration with defaults", () => {
    const env = parseEnv(base);
    expect(env.NODE_ENV).toBe("development");
    expect(env.AUTH_OIDC_GROUPS_CLAIM).toBe("groups");
    expect(env.AUTH_DEV_LOGIN).toBe(false);
  });

  it("names the variable when DATABASE_URL is missing or malformed", () => {
    expect(problems({})).toEqual(["DATABASE_URL is required (a postgres:// connection string)"]);
    expect(problems({ DATABASE_URL: "mysql://x" })[0]).toMatch(/^DATABASE_URL must be a postgres:\/\/ or postgresql:\/\/ URL/);
  });

  it("refuses the development sign-in and a missing OIDC secret in production", () => {
    const p = problems({
      ...base,
      NODE_ENV: "production",
      AUTH_DEV_LOGIN: "true",
      AUTH_SECRET: "x".repeat(40),
      PORTAL_ENCRYPTION_KEY: Buffer.alloc(32).toString("base64"),
      AUTH_OIDC_ISSUER: "https://idp.example.com",
      AUTH_OIDC_CLIENT_ID: "portal",
    });
    expect(p).toContain("AUTH_DEV_LOGIN the development sign-in refuses to run with NODE_ENV=production; unset it and configure AUTH_OIDC_*");
    expect(p).toContain("AUTH_OIDC_CLIENT_SECRET is required in production when single sign-on is configured");
  });

  it("checks the encryption key length", () => {
    expect(problems({ ...base, PORTAL_ENCRYPTION_KEY: "c2hvcnQ=" })[0]).toContain("PORTAL_ENCRYPTION_KEY must be 32 random bytes");
  });
});
