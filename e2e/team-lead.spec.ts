import { copyFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import { expect, test } from "./fixtures/a11y";
import pg from "pg";
import { signInAs } from "./fixtures/auth";
import { adminNotFound } from "./pages/admin-pages";
import { AdminTeamsPage } from "./pages/admin-teams-page";
import { ApprovalsPage } from "./pages/approvals-page";
import { ClusterPage } from "./pages/cluster-page";
import { HomePage } from "./pages/home-page";
import { RequestPage } from "./pages/request-page";
import { TeamPage } from "./pages/team-page";

// A team lead watches the team's quota: the numbers move when a member requests a cluster. Admin pages
// are not for them, and other teams' pages do not exist for them.

const docsShots = path.resolve(import.meta.dirname, "..", "docs", "screenshots");

// A fresh e2e database has no past: stand in for 29 earlier runs of the reconciler's daily usage sweep
// (yesterday and before; today's point stays the page's live figure), so the chart has a history to draw.
test.beforeAll(async () => {
  const url = process.env.DATABASE_URL;
  if (!url) return;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`
      INSERT INTO "UsageSnapshot" (id, "teamId", day, clusters, "cpuMillicores", "memoryMiB")
      SELECT 'e2e_' || md5(t.id || d::text), t.id, d::date, n, n * 1000, n * 2048
        FROM "Team" t, generate_series(current_date - 29, current_date - 1, interval '1 day') d,
             LATERAL (SELECT greatest(0, round(2 + 1.5 * sin(extract(epoch FROM d) / 300000)))::int AS n) x
       WHERE t.slug = 'payments'
      ON CONFLICT ("teamId", day) DO NOTHING`);
  } finally {
    await client.end();
  }
});

test("the lead sees usage change after a member requests a cluster", async ({ browser }) => {
  test.setTimeout(180_000);
  const leadContext = await browser.newContext();
  const lead = await leadContext.newPage();
  await signInAs(lead, "lead.payments@example.com");
  const team = new TeamPage(lead);
  // The lead's nav points at the team page.
  await expect(lead.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Team", exact: true })).toHaveAttribute("href", "/teams/payments");
  await team.goto("payments");
  await expect(team.heading).toHaveText("Payments");
  await team.expectMember("lead.payments@example.com", "Lead");
  await team.expectMember("dev.payments@example.com", "Member");
  await expect(team.chart).toBeVisible();
  const clustersBefore = await team.used("Clusters");
  const cpuBefore = await team.used("CPU");
  expect(await team.usage("Clusters")).toMatch(new RegExp(`^${clustersBefore} of 5 in use(, \\d+ more waiting for approval)?$`));

  const devContext = await browser.newContext();
  const dev = await devContext.newPage();
  await signInAs(dev, "dev.payments@example.com");
  const home = new HomePage(dev);
  await home.goto();
  await home.createFromTemplate("CI ephemeral");
  const clusterName = (await dev.getByRole("heading", { level: 1 }).innerText()).trim();

  await lead.reload();
  await expect.poll(() => team.used("Clusters")).toBe(clustersBefore + 1);
  expect(await team.used("CPU")).toBe(cpuBefore + 500);
  expect(await team.usage("CPU")).toMatch(/^\d+(\.\d)? of 8 CPU in use/);
  await expect(team.ownerRow("dev.payments@example.com")).toContainText(clusterName);
  await expect(team.expiring).toContainText(clusterName); // a CI cluster lives 2 hours
  await lead.screenshot({ path: "test-results/team-lead-team.png", fullPage: true });
  mkdirSync(docsShots, { recursive: true });
  copyFileSync("test-results/team-lead-team.png", path.join(docsShots, "team.png"));
  await leadContext.close();
  await devContext.close();
});

test("one team, one set of numbers: home, the team page, admin Teams and the approval queue say the same", async ({ browser }) => {
  test.setTimeout(300_000);
  const open = async (email: string) => {
    const page = await (await browser.newContext()).newPage();
    await signInAs(page, email);
    return page;
  };
  const dev = await open("dev.payments@example.com");
  // One cluster in use (ready) and one request waiting for approval.
  const ready = await new HomePage(dev).createFromTemplate("Sandbox");
  await new ClusterPage(dev).waitForPhase("Ready", 180_000);
  const waiting = `quota-words-${Math.random().toString(36).slice(2, 6)}`;
  const form = new RequestPage(dev);
  await form.goto("team-dev");
  await form.name.fill(waiting);
  await form.submit.click();
  await dev.waitForURL(/\/clusters\/[^/]+$/);
  await new ClusterPage(dev).waitForPhase("Pending approval", 30_000);

  const home = new HomePage(dev);
  await home.goto();
  const team = new TeamPage(await open("lead.payments@example.com"));
  await team.goto("payments");
  const approvals = new ApprovalsPage(await open("admin@example.com"));
  await approvals.goto();

  const clusters = await team.usage("Clusters");
  const [, inUse, pending] = clusters.match(/^(\d+) of 5 in use, (\d+) more waiting for approval$/) ?? [];
  expect(Number(inUse)).toBeGreaterThanOrEqual(1);
  expect(Number(pending)).toBeGreaterThanOrEqual(1);
  await expect(team.meter("Clusters").locator("..")).toContainText(`${inUse} in use + ${pending} waiting / 5`);
  for (const label of ["Clusters", "CPU", "Memory"] as const) {
    const words = await team.usage(label);
    await expect(home.meter("Payments", label)).toHaveAttribute("aria-valuetext", words);
    // The queue says the same, and which part of what waits is the request under review.
    await expect(approvals.meter(waiting, label)).toHaveAttribute("aria-valuetext", new RegExp(`^${words.replace(/[.()]/g, "\\$&")} \\(this request`));
  }
  await expect(home.team("Payments")).toContainText(`${inUse} in use + ${pending} waiting / 5`);
  await expect(approvals.row(waiting)).toContainText(`${inUse} in use + ${pending} waiting (this request`);
  const adminTeams = new AdminTeamsPage(approvals.page);
  await adminTeams.goto();
  for (const label of ["Clusters", "CPU", "Memory"] as const) await expect(adminTeams.meter("payments", label)).toHaveAttribute("aria-valuetext", await team.usage(label));
  await dev.screenshot({ path: "test-results/team-lead-home-quota.png", fullPage: true });

  await approvals.goto();
  await approvals.page.screenshot({ path: "test-results/team-lead-approvals-quota.png", fullPage: true });
  await team.page.screenshot({ path: "test-results/team-lead-team-quota.png", fullPage: true });

  // Leave the team's quota as it was for whatever runs next.
  await approvals.reject(waiting, "e2e: quota words checked");
  await new ClusterPage(dev).goto(ready);
  await dev.getByRole("button", { name: "Delete" }).click();
  const confirm = dev.getByRole("dialog");
  await confirm.getByLabel(/to confirm/).fill(await new ClusterPage(dev).clusterName());
  await confirm.getByRole("button", { name: "Delete cluster" }).click();
  await expect(confirm).toBeHidden();
  for (const p of [dev, team.page, approvals.page]) await p.context().close();
});

test("admin pages are not found for a non-admin, and another team's page is not found either", async ({ page }) => {
  await signInAs(page, "lead.payments@example.com");
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Approvals" })).toHaveCount(0);
  for (const url of ["/admin/approvals", "/admin/clusters", "/admin/templates", "/admin/teams", "/admin/hosts", "/admin/audit", "/admin/templates/sandbox"]) {
    await page.goto(url);
    await expect(adminNotFound(page), url).toBeVisible();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Page not found");
  }
  await page.screenshot({ path: "test-results/team-lead-admin-not-found.png", fullPage: true });
  const team = new TeamPage(page);
  await team.goto("search");
  await expect(page.getByText("Team not found")).toBeVisible();
  await expect(page.getByText("dev.search@example.com")).toHaveCount(0);
});
