import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, chmodSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parseEnv } from "@/lib/env";
import { loadOrCreateSecrets } from "./secrets";

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(path.join(os.tmpdir(), "vcp-secrets-"));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe("npm start's secrets", () => {
  it("are generated on first start into .data/secrets.json with mode 0600, and kept on the next starts", () => {
    const root = tmp();
    const first = loadOrCreateSecrets(root);
    expect(first.file).toBe(path.join(root, ".data", "secrets.json"));
    expect(first.generated).toEqual(["AUTH_SECRET", "PORTAL_ENCRYPTION_KEY", "AUTH_OIDC_CLIENT_SECRET", "LOCAL_OIDC_COOKIE_KEY", "LOCAL_OIDC_SIGNING_KEY"]);
    expect(statSync(first.file).mode & 0o777).toBe(0o600);
    expect(Buffer.from(first.secrets.PORTAL_ENCRYPTION_KEY, "base64")).toHaveLength(32);
    expect(first.secrets.LOCAL_OIDC_SIGNING_KEY).toMatchObject({ kty: "RSA", alg: "RS256", use: "sig" });
    expect(first.secrets.LOCAL_OIDC_SIGNING_KEY.d).toBeTruthy();

    const again = loadOrCreateSecrets(root);
    expect(again.generated).toEqual([]);
    expect(again.secrets).toEqual(first.secrets);
  });

  it("satisfy lib/env.ts's production rules", () => {
    const { secrets } = loadOrCreateSecrets(tmp());
    const e = parseEnv({
      NODE_ENV: "production",
      DATABASE_URL: "postgres://portal:portal@127.0.0.1:54329/portal",
      AUTH_URL: "http://localhost:3000",
      AUTH_SECRET: secrets.AUTH_SECRET,
      PORTAL_ENCRYPTION_KEY: secrets.PORTAL_ENCRYPTION_KEY,
      AUTH_OIDC_ISSUER: "http://localhost:3001",
      AUTH_OIDC_CLIENT_ID: "vcluster-portal-local",
      AUTH_OIDC_CLIENT_SECRET: secrets.AUTH_OIDC_CLIENT_SECRET,
    });
    expect(e.AUTH_SECRET).toBe(secrets.AUTH_SECRET);
  });

  it("fills in only what is missing, and tightens a loose file mode", () => {
    const root = tmp();
    const { file, secrets } = loadOrCreateSecrets(root);
    const { AUTH_OIDC_CLIENT_SECRET: _dropped, ...rest } = secrets;
    void _dropped;
    writeFileSync(file, JSON.stringify(rest));
    chmodSync(file, 0o644);
    const next = loadOrCreateSecrets(root);
    expect(next.generated).toEqual(["AUTH_OIDC_CLIENT_SECRET"]);
    expect(next.secrets.AUTH_SECRET).toBe(secrets.AUTH_SECRET);
    expect(next.secrets.AUTH_OIDC_CLIENT_SECRET).not.toBe(secrets.AUTH_OIDC_CLIENT_SECRET);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual(next.secrets);
  });

  it("say how to recover from a damaged file", () => {
    const root = tmp();
    const { file } = loadOrCreateSecrets(root);
    writeFileSync(file, "{ not json");
    expect(() => loadOrCreateSecrets(root)).toThrow(/secrets\.json is not valid JSON.*delete it to generate new secrets/);
  });
});
