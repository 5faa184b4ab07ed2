// Integration: `npm run token:create` (scripts/token-create.ts) as a child process against a real database.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { hashApiToken } from "@/lib/auth/api-token";
import { useTestDatabase } from "@/scripts/testenv/per-file";

const testDb = useTestDatabase({ seeded: true });
const root = path.resolve(import.meta.dirname, "..");

function run(...args: string[]) {
  const r = spawnSync(process.execPath, ["--import", "tsx", "scripts/token-create.ts", ...args], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: testDb.url(), AUTH_URL: "" },
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
    const row = await testDb.prisma().apiToken.findUniqueOrThrow({ where: { tokenHash: hashApiToken(token!) } });
    expect(row.name).toBe("ci");
    expect(Math.round((row.expiresAt!.getTime() - Date.now()) / 86_400_000)).toBe(30);
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

    const tooLong = run("--email", "dev.payments@example.com", "--days", "400");
    expect(tooLong.code).toBe(2);
    expect(tooLong.err).toContain("--days: At most 365 days");

    const notNumber = run("--email", "dev.payments@example.com", "--days", "soon");
    expect(notNumber.code).toBe(2);
    expect(notNumber.err).toContain("--days must be a whole number");
  });
});
