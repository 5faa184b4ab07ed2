// The start-up checks against real boundaries: a real PostgreSQL behind the shipped migrations, a closed local
// port as the OpenID Connect issuer, and a real provider (scripts/oidc/provider.ts) as the good case.
import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { shippedMigrations } from "@/lib/db/shipped-migrations";
import { parseEnv } from "@/lib/env";
import { migrationState, oidcIssuerProblem, runStartupChecks, StartupError } from "@/lib/startup-checks";
import { startOidcProvider, type OidcProviderHandle } from "@/scripts/oidc/provider";
import { freePort } from "@/scripts/testenv/postgres";
import { useTestDatabase } from "@/scripts/testenv/per-file";

const database = useTestDatabase({ seeded: false });
const quiet = pino({ level: "silent" });
let idp: OidcProviderHandle;
let impostor: Server;
let impostorUrl: string;

beforeAll(async () => {
  idp = await startOidcProvider({ clients: [] });
  // Answers a discovery document for another issuer (a proxy or a copy-pasted URL).
  impostor = createServer((_req, res) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ issuer: "https://login.example.com/realms/other" })));
  await new Promise<void>((r) => impostor.listen(0, "127.0.0.1", r));
  impostorUrl = `http://127.0.0.1:${(impostor.address() as { port: number }).port}`;
});
afterAll(async () => {
  await idp?.stop();
  impostor?.close();
});

function productionEnv(over: Record<string, string>) {
  return parseEnv({
    NODE_ENV: "production",
    DATABASE_URL: database.url(),
    AUTH_SECRET: randomBytes(32).toString("base64"),
    AUTH_URL: "https://portal.example.com",
    PORTAL_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
    AUTH_OIDC_ISSUER: idp.issuer,
    AUTH_OIDC_CLIENT_ID: "portal",
    AUTH_OIDC_CLIENT_SECRET: "client-secret-value",
    ...over,
  });
}

describe("database migrations at start-up", () => {
  it("passes on a database with every shipped migration applied", async () => {
    expect(await migrationState(database.prisma(), shippedMigrations())).toEqual({ state: "current" });
    await expect(runStartupChecks({ service: "worker", env: productionEnv({}), log: quiet })).resolves.toBeUndefined();
    await expect(runStartupChecks({ service: "web", env: productionEnv({}), log: quiet })).resolves.toBeUndefined();
  });

  it("refuses a database behind the shipped migrations, naming the missing one", async () => {
    const shipped = shippedMigrations();
    const newest = shipped[shipped.length - 1];
    await database.prisma().$executeRaw`DELETE FROM "_prisma_migrations" WHERE migration_name = ${newest}`;
    expect(await migrationState(database.prisma(), shipped)).toEqual({
      state: "behind",
      problem: `the database is behind this version's migrations (not applied: ${newest}): run the migrate command first (the image's \`migrate\`, or \`npm run db:migrate\` in a checkout; docs/install.md#upgrade)`,
    });
    const refused = runStartupChecks({ service: "worker", env: productionEnv({}), log: quiet });
    await expect(refused).rejects.toBeInstanceOf(StartupError);
    await expect(refused).rejects.toThrow(`not applied: ${newest}`);
  });

  it("says how many are missing on a database never migrated", async () => {
    await database.prisma().$executeRawUnsafe(`DROP TABLE "_prisma_migrations"`);
    const r = await migrationState(database.prisma(), shippedMigrations());
    expect(r).toMatchObject({ state: "behind" });
    expect((r as { problem: string }).problem).toContain(`not applied: ${shippedMigrations().length} of ${shippedMigrations().length}, first ${shippedMigrations()[0]}`);
  });

  it("only warns when the database cannot be reached (readiness and retries cover outages)", async () => {
    const env = productionEnv({ DATABASE_URL: `postgres://nobody@127.0.0.1:${await freePort()}/none` });
    const warnings: string[] = [];
    const log = pino({ level: "warn" }, { write: (l: string) => void warnings.push(l) });
    await expect(runStartupChecks({ service: "worker", env, log })).resolves.toBeUndefined();
    expect(warnings.join("")).toContain("database unreachable at start-up");
  });

  it("checks nothing outside production", async () => {
    const env = parseEnv({ NODE_ENV: "test", DATABASE_URL: database.url(), PORTAL_ENCRYPTION_KEY: Buffer.alloc(32).toString("base64") });
    await expect(runStartupChecks({ service: "web", env, log: quiet })).resolves.toBeUndefined();
  });
});

describe("the OpenID Connect issuer at start-up", () => {
  it("passes when the issuer serves its discovery document", async () => {
    expect(await oidcIssuerProblem(idp.issuer)).toBeUndefined();
  });

  it("refuses an issuer on a closed port, naming AUTH_OIDC_ISSUER and the reason", async () => {
    const issuer = `http://127.0.0.1:${await freePort()}`;
    const t0 = Date.now();
    const problem = await oidcIssuerProblem(issuer, { retryDelayMs: 100 });
    expect(problem).toBe(`AUTH_OIDC_ISSUER ${issuer} is unreachable (ECONNREFUSED from ${issuer}/.well-known/openid-configuration after 3 attempts)`);
    expect(Date.now() - t0).toBeLessThan(5_000);
    // The web refuses to start; the worker does not sign anyone in and starts.
    const env = productionEnv({ AUTH_OIDC_ISSUER: issuer });
    await expect(runStartupChecks({ service: "web", env, log: quiet })).rejects.toThrow(`AUTH_OIDC_ISSUER ${issuer} is unreachable (ECONNREFUSED`);
  }, 30_000);

  it("refuses an issuer whose provider names another issuer", async () => {
    expect(await oidcIssuerProblem(impostorUrl)).toBe(
      `AUTH_OIDC_ISSUER ${impostorUrl} does not match the issuer its provider names, https://login.example.com/realms/other: set AUTH_OIDC_ISSUER to exactly that`,
    );
  });

  it("refuses a URL that is not an issuer", async () => {
    const problem = await oidcIssuerProblem(`${idp.issuer}/nothing-here`, { attempts: 1 });
    expect(problem).toMatch(/^AUTH_OIDC_ISSUER .*\/nothing-here is not an OpenID Connect issuer: .* answered HTTP 404$/);
  });
});
