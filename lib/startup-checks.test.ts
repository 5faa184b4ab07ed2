import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { ConfigError, parseEnv } from "@/lib/env";
import { StartupError, secretProblems, startupFailureLine } from "@/lib/startup-checks";

const key = () => randomBytes(32).toString("base64");

describe("secret strength (production start-up)", () => {
  it("accepts what the docs tell people to generate", () => {
    for (let i = 0; i < 200; i++) {
      expect(secretProblems({ AUTH_SECRET: randomBytes(32).toString("base64"), PORTAL_ENCRYPTION_KEY: key() })).toEqual([]);
      expect(secretProblems({ AUTH_SECRET: randomBytes(32).toString("hex"), PORTAL_ENCRYPTION_KEY: key() })).toEqual([]);
    }
  });

  it("refuses a long AUTH_SECRET with few different characters", () => {
    expect(secretProblems({ AUTH_SECRET: "x".repeat(40) })).toEqual(["AUTH_SECRET is too weak (only 1 different characters): make one with: openssl rand -base64 32"]);
    expect(secretProblems({ AUTH_SECRET: "abcabcabcabcabcabcabcabcabcabcabcabc" })[0]).toMatch(/^AUTH_SECRET is too weak \(only 3 different characters\)/);
  });

  it("refuses placeholder values copied from examples", () => {
    for (const s of ["please-changeme-before-production-0123456789", "my-super-SECRET-value-for-the-portal-2026", "replace-with-openssl-rand-base64-32-output"]) {
      expect(secretProblems({ AUTH_SECRET: s })).toEqual(["AUTH_SECRET looks like a placeholder, not a random secret: make one with: openssl rand -base64 32"]);
    }
  });

  it("refuses an encryption key of 32 bytes that are not random", () => {
    const zeros = Buffer.alloc(32).toString("base64");
    expect(secretProblems({ PORTAL_ENCRYPTION_KEY: zeros })).toEqual([
      "PORTAL_ENCRYPTION_KEY is too weak (its 32 bytes hold only 1 different values, not random): make one with: openssl rand -base64 32",
    ]);
    const counting = Buffer.from(Array.from({ length: 32 }, (_, i) => i % 8)).toString("base64");
    expect(secretProblems({ PORTAL_ENCRYPTION_KEY: counting })[0]).toMatch(/^PORTAL_ENCRYPTION_KEY is too weak \(its 32 bytes hold only 8 different values/);
  });

  it("reports both secrets at once", () => {
    expect(secretProblems({ AUTH_SECRET: "y".repeat(32), PORTAL_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString("base64") })).toHaveLength(2);
  });
});

describe("the one line a refused start prints", () => {
  it("puts every configuration problem on one line, naming the variables", () => {
    let error: unknown;
    try {
      parseEnv({ DATABASE_URL: "postgres://u@localhost/db", NODE_ENV: "production", PORTAL_ENCRYPTION_KEY: key() });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const line = startupFailureLine("web", error);
    expect(line).toMatch(/^vcluster-portal web: cannot start: AUTH_SECRET is required in production; AUTH_URL is required in production .*AUTH_OIDC_ISSUER is required in production.*\(see the configuration table in README.md\)$/);
    expect(line).not.toContain("\n");
  });

  it("prints a start-up check's problem as it is, and nothing for other errors", () => {
    expect(startupFailureLine("worker", new StartupError("the database is behind"))).toBe("vcluster-portal worker: cannot start: the database is behind");
    expect(startupFailureLine("worker", new Error("boom"))).toBeUndefined();
  });
});
