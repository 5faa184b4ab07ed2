// End-to-end tier (`npm run test:e2e`): Debian's chromium against the real app.
// e2e/global-setup.ts starts everything the app needs — PostgreSQL (migrated + seeded), the local host
// cluster `test`, `next dev` and the reconciler worker — because Playwright starts `webServer` *before*
// global setup, when the database URL is not known yet. The port is chosen here, at config load in the
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
  // `next dev` compiles each route on its first visit: generous timeouts on 2 cores.
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
          executablePath: "/usr/bin/chromium",
          args: ["--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        },
      },
    },
  ],
});
