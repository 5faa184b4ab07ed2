// Two tiers (`npm run test:unit`, `npm run test:integration`; e2e is Playwright, see playwright.config.ts).
//   unit         **/*.test.ts(x) except *.int.test.ts: pure, fast, no services.
//   integration  **/*.int.test.ts: a real PostgreSQL (per-file database from a migrated + seeded template)
//                and the local Kubernetes host cluster `test`, both from scripts/testenv/vitest-global-setup.ts.
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { configDefaults, defineConfig } from "vitest/config";

const root = fileURLToPath(new URL(".", import.meta.url));
// vitest runs with NODE_ENV=test, where lib/env.ts requires a real encryption key (only an explicit
// NODE_ENV=development may use the built-in one): one random key per run.
const PORTAL_ENCRYPTION_KEY = process.env.PORTAL_ENCRYPTION_KEY ?? randomBytes(32).toString("base64");
// Auth.js's session secret: there is no built-in one either (lib/auth/config.ts authSecret()).
const AUTH_SECRET = process.env.AUTH_SECRET ?? randomBytes(32).toString("base64");
const exclude = [...configDefaults.exclude, "**/node_modules/**", "**/.next/**", "**/.data/**", "e2e/**", "lib/generated/**"];

export default defineConfig({
  resolve: { alias: { "@": root.replace(/\/$/, "") } },
  test: {
    // next-auth imports `next/server` without an extension, which Node's ESM resolver refuses
    // (next has no "exports" map): let Vite resolve it instead of externalizing it.
    server: { deps: { inline: ["next-auth", "@auth/core"] } },
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          environment: "node",
          include: ["**/*.test.ts", "**/*.test.tsx"],
          exclude: [...exclude, "**/*.int.test.ts", "**/*.int.test.tsx"],
          // No services in this tier. lib/env.ts requires DATABASE_URL: give it an unreachable one, which also
          // keeps a developer's real DATABASE_URL away from unit tests.
          env: { DATABASE_URL: "postgres://unit-tests@127.0.0.1:9/no-database-in-unit-tests", PORTAL_ENCRYPTION_KEY, AUTH_SECRET },
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          environment: "node",
          include: ["**/*.int.test.ts", "**/*.int.test.tsx"],
          exclude,
          globalSetup: ["scripts/testenv/vitest-global-setup.ts"],
          // The reconciler logs every retry; a failing test still shows its own assertion.
          // Route handlers are called as if behind a reverse proxy on loopback, so X-Forwarded-For in a test
          // request names the client (lib/net/trusted-proxies.ts).
          env: { LOG_LEVEL: process.env.LOG_LEVEL ?? "error", PORTAL_ENCRYPTION_KEY, AUTH_SECRET, TRUSTED_PROXIES: process.env.TRUSTED_PROXIES ?? "127.0.0.1, ::1" },
          testTimeout: 120_000,
          hookTimeout: 300_000,
          // 2 cores: two files at a time (each has its own database and namespace prefix).
          maxWorkers: 2,
        },
      },
    ],
  },
});
