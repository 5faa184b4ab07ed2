// End-to-end tier (`npm run test:e2e`): Debian's chromium against the production build.
// e2e/global-setup.ts checks the machine (chromium, postgresql: it says how to install what is missing) and
// starts everything the app needs — PostgreSQL (migrated + seeded), the local host cluster `test`, the
// production build (`next build` into .next/e2e, reused while the sources are unchanged) under `next start`,
// the local OpenID Connect provider every test signs in through, and the reconciler worker — because
// Playwright starts `webServer` *before* global setup, when the database URL is not known yet. The port is chosen here, at config load in the
// runner process, and handed to the test workers (which load this file again) through the environment.
import { defineConfig, devices, type ReporterDescription } from "@playwright/test";
import { freePort } from "./scripts/testenv/postgres";

process.env.VCP_E2E_PORT ??= String(await freePort());
const baseURL = `http://localhost:${process.env.VCP_E2E_PORT}`;

const reporter: ReporterDescription[] = [["list"], ["html", { open: "never", outputFolder: "playwright-report" }]];
// scripts/test-all.ts sets this to collect the counts.
if (process.env.PLAYWRIGHT_JSON_OUTPUT_NAME) reporter.push(["json"]);

export default defineConfig({
  testDir: "e2e",
  testMatch: "**/*.spec.ts",
  outputDir: "test-results",
  globalSetup: "./e2e/global-setup.ts",
  globalTeardown: "./e2e/global-teardown.ts",
  workers: 1,
  fullyParallel: false,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  // Provisioning a virtual cluster takes tens of seconds on 2 cores; tests that wait for one set their own.
  timeout: 120_000,
  expect: { timeout: 15_000 },
  reporter,
  use: {
    baseURL,
    headless: true,
    screenshot: "on",
    trace: "retain-on-failure",
    navigationTimeout: 60_000,
    actionTimeout: 20_000,
  },
  projects: [
    {
      name: "chromium",
      use: {
        ...devices["Desktop Chrome"],
        launchOptions: {
          // Playwright cannot download its browsers here; Debian's chromium (apt-get install -y chromium).
          // e2e/global-setup.ts checks it exists first (VCP_CHROMIUM: another path).
          executablePath: process.env.VCP_CHROMIUM ?? "/usr/bin/chromium",
          args: ["--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        },
      },
    },
  ],
});
