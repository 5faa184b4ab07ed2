import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, parseEnv } from "./env";

const base = { DATABASE_URL: "postgres://u:p@localhost:5432/db", NODE_ENV: "development" };
const KEY = randomBytes(32).toString("base64");

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
    expect(env).not.toHaveProperty("AUTH_DEV_LOGIN"); // the development sign-in is gone: one sign-in path, OIDC
  });

  it("names the variable when DATABASE_URL is missing or malformed", () => {
    expect(problems({ NODE_ENV: "development" })).toEqual(["DATABASE_URL is required (a postgres:// connection string)"]);
    expect(problems({ DATABASE_URL: "mysql://x" })[0]).toMatch(/^DATABASE_URL must be a postgres:\/\/ or postgresql:\/\/ URL/);
  });

  it("refuses a missing OIDC secret in production", () => {
    const p = problems({
      ...base,
      NODE_ENV: "production",
      AUTH_URL: "https://portal.example.com",
      AUTH_SECRET: "x".repeat(40),
      PORTAL_ENCRYPTION_KEY: Buffer.alloc(32).toString("base64"),
      AUTH_OIDC_ISSUER: "https://idp.example.com",
      AUTH_OIDC_CLIENT_ID: "portal",
    });
    expect(p).toEqual(["AUTH_OIDC_CLIENT_SECRET is required in production when single sign-on is configured"]);
  });

  it("in production requires AUTH_SECRET, AUTH_URL and an OIDC provider, and accepts what npm start generates", () => {
    expect(problems({ ...base, NODE_ENV: "production", PORTAL_ENCRYPTION_KEY: KEY })).toEqual([
      "AUTH_SECRET is required in production",
      "AUTH_URL is required in production (the portal's public URL; Auth.js refuses untrusted hosts)",
      "AUTH_OIDC_ISSUER is required in production: configure an OpenID Connect provider",
    ]);
    // scripts/start.ts: generated secrets (.data/secrets.json), http://localhost and the local provider.
    const e = parseEnv({
      ...base,
      NODE_ENV: "production",
      AUTH_SECRET: randomBytes(32).toString("base64"),
      AUTH_URL: "http://localhost:3000",
      PORTAL_ENCRYPTION_KEY: KEY,
      AUTH_OIDC_ISSUER: "http://localhost:3001",
      AUTH_OIDC_CLIENT_ID: "vcluster-portal-local",
      AUTH_OIDC_CLIENT_SECRET: randomBytes(32).toString("base64url"),
    });
    expect(e.NODE_ENV).toBe("production");
  });

  it("checks the encryption key length", () => {
    expect(problems({ ...base, PORTAL_ENCRYPTION_KEY: "c2hvcnQ=" })[0]).toContain("PORTAL_ENCRYPTION_KEY must be 32 random bytes");
  });

  it("falls back to the development encryption key only when NODE_ENV is explicitly development", () => {
    expect(parseEnv(base).PORTAL_ENCRYPTION_KEY).toBeUndefined();
    // Unset NODE_ENV (the worker under tsx) still reads as development elsewhere, but needs a key.
    const unset = problems({ DATABASE_URL: base.DATABASE_URL });
    expect(unset).toEqual([
      "PORTAL_ENCRYPTION_KEY is required unless NODE_ENV=development (NODE_ENV is unset): set it to 32 random bytes, base64-encoded — make one with: openssl rand -base64 32",
    ]);
    expect(problems({ ...base, NODE_ENV: "test" })[0]).toMatch(/^PORTAL_ENCRYPTION_KEY is required unless NODE_ENV=development \(NODE_ENV is "test"\).*openssl rand -base64 32$/);
    expect(problems({ ...base, NODE_ENV: "production", AUTH_SECRET: "x".repeat(40), AUTH_URL: "https://portal.example.com", AUTH_OIDC_ISSUER: "https://idp.example.com", AUTH_OIDC_CLIENT_ID: "p", AUTH_OIDC_CLIENT_SECRET: "s" })).toEqual([
      expect.stringMatching(/^PORTAL_ENCRYPTION_KEY is required unless NODE_ENV=development \(NODE_ENV is "production"\)/),
    ]);
    const withKey = parseEnv({ DATABASE_URL: base.DATABASE_URL, PORTAL_ENCRYPTION_KEY: KEY });
    expect(withKey.NODE_ENV).toBe("development");
    expect(withKey.PORTAL_ENCRYPTION_KEY).toBe(KEY);
  });

  it("the worker refuses to start without the key when NODE_ENV is not development", () => {
    const root = path.resolve(import.meta.dirname, "..");
    const env: Record<string, string | undefined> = { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_URL: "postgres://u:p@127.0.0.1:9/none", LOG_LEVEL: "silent" };
    const r = spawnSync(path.join(root, "node_modules", ".bin", "tsx"), ["scripts/worker.ts"], { cwd: root, env: env as NodeJS.ProcessEnv, encoding: "utf8", timeout: 60_000 });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("PORTAL_ENCRYPTION_KEY is required unless NODE_ENV=development (NODE_ENV is unset)");
    expect(r.stderr).toContain("openssl rand -base64 32");
  }, 60_000);

  it("validates METRICS_TOKEN, WORKER_METRICS_HOST and TRUSTED_PROXIES", () => {
    const e = parseEnv(base);
    expect(e.METRICS_TOKEN).toBeUndefined();
    expect(e.WORKER_METRICS_HOST).toBe("127.0.0.1");
    expect(e.TRUSTED_PROXIES.entries).toEqual([]);
    expect(problems({ ...base, METRICS_TOKEN: "short" })[0]).toMatch(/^METRICS_TOKEN must be at least 16 characters/);
    const proxies = parseEnv({ ...base, TRUSTED_PROXIES: " 10.0.0.0/8, 192.168.1.7 ,fd00::/8" }).TRUSTED_PROXIES;
    expect(proxies.entries).toEqual(["10.0.0.0/8", "192.168.1.7", "fd00::/8"]);
    expect(proxies.has("10.2.3.4")).toBe(true);
    expect(proxies.has("192.168.1.8")).toBe(false);
    expect(problems({ ...base, TRUSTED_PROXIES: "10.0.0.1, proxy.internal" })[0]).toBe(
      'TRUSTED_PROXIES must be IP addresses or CIDR ranges separated by commas: "proxy.internal" is not an IP address or CIDR range (e.g. 10.0.0.1 or 10.0.0.0/8)',
    );
    expect(problems({ ...base, TRUSTED_PROXIES: "10.0.0.0/33" })[0]).toMatch(/invalid prefix length/);
  });
});
