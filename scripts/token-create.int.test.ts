// Integration: `npm run token:create` (scripts/token-create.ts) as a child process against a real database.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { hashApiToken } from "@/lib/auth/api-token";
import { useTestDatabase } from "@/scripts/testenv/per-file";

const testDb = useTestDatabase({ seeded: true });
const root = path.resolve(import.meta.dirname, "..");

function run(...args: string[]) {
  // Without AUTH_URL (the example curl line then uses http://localhost:3000). Unset rather than empty: the
  // script validates the portal's configuration (lib/env.ts, for API_TOKEN_MAX_DAYS), where "" is not a URL.
  const env = { ...process.env };
  delete env.AUTH_URL;
  const r = spawnSync(process.execPath, ["--import", "tsx", "scripts/token-create.ts", ...args], {
    cwd: root,
    env: { ...env, DATABASE_URL: testDb.url() },
    encoding: "utf8",
    timeout: 60_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe("npm run token:create", () => {
  it("prints the token once with a ready-to-paste curl line, and stores only its hash", async () => {
    const r = run("--email", "dev.payments@example.com", "--name", "ci", "--days", "30");
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const token = /(vcp_[A-Za-z0-9_-]{43})/.exec(r.out)?.[1];
    expect(token).toBeDefined();
    expect(r.out).toContain(`curl -H "Authorization: Bearer ${token}" http://localhost:3000/api/v1/clusters`);
    expect(r.out).toContain("dev.payments@example.com");
    expect(r.out).toContain("scopes read,");
    const row = await testDb.prisma().apiToken.findUniqueOrThrow({ where: { tokenHash: hashApiToken(token!) } });
    expect(row.name).toBe("ci");
    expect(row.scopes).toEqual(["read"]); // the safer default
    expect(Math.round((row.expiresAt!.getTime() - Date.now()) / 86_400_000)).toBe(30);
    const audit = await testDb.prisma().auditEvent.findFirstOrThrow({ where: { action: "token.create", targetId: row.id } });
    expect(audit.actorEmail).toBe("system");
  });

  it("--scopes read,write grants write; --quiet prints only the token, one line", async () => {
    const r = run("--email", "dev.search@example.com", "--name", "deploy", "--scopes", "read,write", "--quiet");
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^vcp_[A-Za-z0-9_-]{43}\n$/);
    const row = await testDb.prisma().apiToken.findUniqueOrThrow({ where: { tokenHash: hashApiToken(r.out.trim()) }, include: { user: true } });
    expect(row).toMatchObject({ name: "deploy", scopes: ["read", "write"] });
    expect(row.user.email).toBe("dev.search@example.com");

    // write alone is stored with the read it implies; the default name and lifetime apply.
    const w = run("--email", "dev.search@example.com", "--scopes", "write", "-q");
    expect(w.code).toBe(0);
    const wRow = await testDb.prisma().apiToken.findUniqueOrThrow({ where: { tokenHash: hashApiToken(w.out.trim()) } });
    expect(wRow).toMatchObject({ name: "default", scopes: ["read", "write"] });
    expect(Math.round((wRow.expiresAt!.getTime() - Date.now()) / 86_400_000)).toBe(90);
  });

  it("--help documents --scopes (default read) and --quiet", () => {
    const r = run("--help");
    expect(r.code).toBe(0);
    expect(r.out).toContain("--scopes");
    expect(r.out).toContain("(default: read, the safer choice)");
    expect(r.out).toContain("--quiet   print only the token");
  });

  it("fails readably: unknown person (exit 1), bad or missing flags (exit 2 with usage)", () => {
    const unknown = run("--email", "nobody@example.com");
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain("No user with the e-mail nobody@example.com");

    const missing = run("--name", "ci");
    expect(missing.code).toBe(2);
    expect(missing.err).toContain("--email is required");
    expect(missing.err).toContain("Usage: npm run token:create");

    const unknownFlag = run("--email", "dev.payments@example.com", "--dayz", "3");
    expect(unknownFlag.code).toBe(2);
    expect(unknownFlag.err).toContain("Usage:");

    const tooLong = run("--email", "dev.payments@example.com", "--days", "91");
    expect(tooLong.code).toBe(2);
    expect(tooLong.err).toContain("--days: At most 90 days: the portal's limit for API tokens (API_TOKEN_MAX_DAYS)");

    const badScope = run("--email", "dev.payments@example.com", "--scopes", "read,admin", "--quiet");
    expect(badScope.code).toBe(2);
    expect(badScope.out).toBe("");
    expect(badScope.err).toContain('--scopes: Unknown scope "admin": use read or write');

    const noScope = run("--email", "dev.payments@example.com", "--scopes", "");
    expect(noScope.code).toBe(2);
    expect(noScope.err).toContain("--scopes: Choose at least one scope: read or write");

    const notNumber = run("--email", "dev.payments@example.com", "--days", "soon");
    expect(notNumber.code).toBe(2);
    expect(notNumber.err).toContain("--days must be a whole number");
  });
});
