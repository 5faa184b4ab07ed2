import { copyFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import type { Browser, Page } from "@playwright/test";
import { expect, expectAccessible, test } from "./fixtures/a11y";
import { signInAs } from "./fixtures/auth";
import { AdminClustersPage, AdminHostsPage, AdminTemplatePage, AuditPage } from "./pages/admin-pages";
import { AdminTeamsPage } from "./pages/admin-teams-page";
import { ApprovalsPage } from "./pages/approvals-page";
import { ClusterPage } from "./pages/cluster-page";
import { HomePage } from "./pages/home-page";
import { RequestPage } from "./pages/request-page";

// An admin's day: a developer asks for a Team dev cluster (needs approval), the admin approves it from the
// queue, the developer watches it come up and then sleeps, wakes and deletes it. Several requests are
// rejected at once with a reason. The governance pages (all clusters, templates, hosts, audit) work.

const docsShots = path.resolve(import.meta.dirname, "..", "docs", "screenshots");
const suffix = Math.random().toString(36).slice(2, 6);

async function shot(page: Page, name: string, docsName?: string) {
  const file = `test-results/admin-${name}.png`;
  await page.screenshot({ path: file, fullPage: true });
  if (docsName) {
    mkdirSync(docsShots, { recursive: true });
    copyFileSync(file, path.join(docsShots, `${docsName}.png`));
  }
}

async function signedIn(browser: Browser, email: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signInAs(page, email);
  return page;
}

/** Requests a Team dev cluster through the customize form and returns its id (we land on its page). */
async function requestTeamDev(page: Page, name: string, lifetimeHours?: number): Promise<string> {
  const form = new RequestPage(page);
  await form.goto("team-dev");
  await form.name.fill(name);
  if (lifetimeHours !== undefined) await form.parameter("Lifetime (hours)").fill(String(lifetimeHours));
  await expect(form.submit).toHaveText(/Request for approval/);
  await form.submit.click();
  await page.waitForURL(/\/clusters\/[^/]+$/);
  return new URL(page.url()).pathname.split("/").pop()!;
}

test.describe.configure({ mode: "serial" });

test("a Team dev request is approved from the queue; its owner sees it ready, sleeps, wakes and deletes it", async ({ browser }) => {
  test.setTimeout(420_000);
  const name = `team-dev-${suffix}`;
  const dev = await signedIn(browser, "dev.payments@example.com");
  const clusterId = await requestTeamDev(dev, name);
  const cluster = new ClusterPage(dev);
  await cluster.waitForPhase("Pending approval", 30_000);

  const admin = await signedIn(browser, "admin@example.com");
  const approvals = new ApprovalsPage(admin);
  await approvals.goto();
  const row = approvals.row(name);
  await expect(row).toContainText("Team dev v1");
  await expect(row).toContainText("dev.payments@example.com");
  await expect(row).toContainText("Payments");
  await expect(row).toContainText("2 CPU");
  await expect(approvals.meter(name, "Clusters")).toHaveAttribute("aria-valuetext", /^\d+ of 5 in use, \d+ more waiting for approval \(this request(: 1)?\)$/);
  await expect(approvals.meter(name, "CPU")).toHaveAttribute("aria-valuetext", /^\d+(\.\d)? of 8 CPU in use, \d+(\.\d)? more waiting for approval \(this request(: 2)?\)$/);
  await expect(approvals.meter(name, "Memory")).toHaveAttribute("aria-valuetext", / of 16 GiB in use, /);
  await expect(row).toContainText(/\d+ in use \+ \d+ waiting \(this request(: 1)?\) \/ 5/);
  await shot(admin, "approvals", "approvals");

  await approvals.approve(name, "for the Q4 migration");
  await expect(admin.getByText(`Approved ${name}.`).first()).toBeVisible();
  await expect(approvals.row(name)).toHaveCount(0);

  // The owner's page polls: no reload needed.
  await cluster.waitForPhase("Ready", 180_000);
  await expect(cluster.timeline).toContainText("Approved by Ada Admin: for the Q4 migration");
  await shot(dev, "cluster-ready");

  await dev.getByRole("button", { name: "Sleep" }).click();
  await cluster.waitForPhase("Sleeping", 90_000);
  await dev.getByRole("button", { name: "Wake" }).click();
  await cluster.waitForPhase("Ready", 120_000);

  await dev.getByRole("button", { name: "Delete" }).click();
  const confirm = dev.getByRole("dialog");
  await confirm.getByLabel(/to confirm/).fill(name);
  await confirm.getByRole("button", { name: "Delete cluster" }).click();
  await cluster.waitForPhase("Deleted", 120_000);
  await shot(dev, "cluster-deleted");

  // The audit log tells the story.
  const audit = new AuditPage(admin);
  await audit.goto({ action: "cluster.approve" });
  await expect(audit.table).toContainText("Ada Admin");
  await audit.goto({ team: "payments" });
  for (const action of ["cluster.request", "cluster.approve", "cluster.sleep", "cluster.wake", "cluster.delete"]) {
    await expect(audit.table.getByText(action, { exact: true }).first()).toBeVisible();
  }
  await shot(admin, "audit");
  expect(clusterId).toBeTruthy();
  await dev.context().close();
  await admin.context().close();
});

test("several requests are rejected at once with one reason, and the requesters see it", async ({ browser }) => {
  test.setTimeout(180_000);
  const a = `reject-a-${suffix}`;
  const b = `reject-b-${suffix}`;
  const devA = await signedIn(browser, "dev.payments@example.com");
  const idA = await requestTeamDev(devA, a, 48);
  const devB = await signedIn(browser, "dev.search@example.com");
  await requestTeamDev(devB, b);

  const admin = await signedIn(browser, "admin@example.com");
  const approvals = new ApprovalsPage(admin);
  await approvals.goto();
  await approvals.select(a);
  await approvals.select(b);
  await expect(approvals.bulkBar).toContainText("2 selected");
  await shot(admin, "bulk-selected");

  // A rejection needs a reason: the dialog opens on it, and says so itself (no browser pop-up) when it is empty.
  await approvals.bulkBar.getByRole("button", { name: /^Reject 2/ }).click();
  const reason = approvals.dialog.getByLabel(/^Reason/);
  await expect(reason).toBeFocused();
  await approvals.dialog.getByRole("button", { name: /^Reject 2/ }).click();
  const summary = approvals.dialog.getByTestId("error-summary");
  await expect(summary).toBeFocused();
  await expect(summary).toContainText("Reason: Say why, so the requester can act on it");
  await expect(reason).toHaveAttribute("aria-invalid", "true");
  await expect(approvals.row(a)).toBeVisible();
  await approvals.dialog.getByRole("button", { name: "Cancel" }).click();

  await approvals.bulk("Reject", "Use a Sandbox for this; Team dev is for long-lived work");
  await expect(admin.getByText("Rejected 2 requests.").first()).toBeVisible();
  await expect(approvals.row(a)).toHaveCount(0);
  await expect(approvals.row(b)).toHaveCount(0);

  const cluster = new ClusterPage(devA);
  await cluster.goto(idA);
  await cluster.waitForPhase("Rejected", 30_000);
  await expect(devA.getByText("Use a Sandbox for this").first()).toBeVisible();

  // Not a dead end: "Request again" opens the form with the same template, team, name and parameters.
  await cluster.requestAgain.click();
  await devA.waitForURL(/\/request\/team-dev\?/);
  const again = new RequestPage(devA);
  await expect(again.name).toHaveValue(a);
  await expect(again.parameter("Lifetime (hours)")).toHaveValue("48");
  await expect(again.form).toContainText("Team: Payments");
  await shot(devA, "request-again");
  for (const p of [devA, devB, admin]) await p.context().close();
});

test("the governance pages: all clusters with filters, a new template version in the YAML editor with diff, hosts, the audit log's picker and links", async ({ page }) => {
  test.setTimeout(240_000);
  await signInAs(page, "admin@example.com");

  const clusters = new AdminClustersPage(page);
  // Live clusters by default: a deleted one has left the list; every phase shows it again.
  await clusters.goto();
  await expect(clusters.row(`team-dev-${suffix}`)).toHaveCount(0);
  await clusters.goto({ phase: "all" });
  await expect(clusters.row(`team-dev-${suffix}`)).toContainText("Deleted");
  await clusters.filter({ name: `reject-`, phase: "REJECTED" });
  await expect(page).toHaveURL(/phase=REJECTED/);
  await expect(clusters.row(`reject-a-${suffix}`)).toBeVisible();
  await expect(clusters.row(`team-dev-${suffix}`)).toHaveCount(0);
  await clusters.filter({ name: "", phase: "all", team: "search" });
  await expect(clusters.row(`reject-b-${suffix}`)).toBeVisible();
  await expect(clusters.row(`reject-a-${suffix}`)).toHaveCount(0);
  await shot(page, "clusters");

  const template = new AdminTemplatePage(page);
  await template.goto("ci-ephemeral");
  await template.openNewVersion();
  // A code editor, styled under the production CSP (CodeMirror's injected styles lay the gutter out as flex).
  await expect(template.valuesEditor.locator(".cm-gutters")).toHaveCSS("display", "flex");
  await expect(template.valuesEditor.locator(".cm-lineNumbers .cm-gutterElement", { hasText: /^1$/ })).toBeVisible();
  await template.values.fill("controlPlane:\n  backingStore: {}\ncontrolPlane: {}\npolicies: {}\n");
  await expect.poll(() => template.markedLines()).toEqual(["3"]);
  await expect(page.getByText("Line 3, column 1: Map keys must be unique: this key is already set above in the same mapping")).toBeVisible();
  await expect(template.values).toHaveAttribute("aria-invalid", "true");
  await expect(template.publishButton()).toBeDisabled();
  await template.values.fill("controlPlane:\n  backingStore: [\n");
  await expect(page.getByText(/^Line 3, column 1: Flow sequence/).first()).toBeVisible();
  await expect.poll(() => template.markedLines()).toEqual(["3"]);
  await shot(page, "template-yaml-error");
  await expectAccessible(page, ["light", "dark"]); // the editor, its markers and the error list
  // The form's Pod Security Standard (restricted) wins over the values: the page says they disagree.
  await template.values.fill("controlPlane:\n  backingStore:\n    database:\n      embedded:\n        enabled: true\npolicies:\n  podSecurityStandard: baseline\n");
  await expect(template.disagreements).toContainText("the Pod Security Standard field says restricted");
  await expect(page.getByText("Disagrees with the values (see under them)")).toBeVisible();
  await expectAccessible(page, ["light", "dark"]); // highlighted YAML and the warning
  await page.getByLabel("Pod Security Standard").selectOption("baseline");
  await expect(template.disagreements).toHaveCount(0);
  await page.getByLabel("Pod Security Standard").selectOption("restricted");
  await template.parameters.fill('[{"name":"ttlHours","label":"Lifetime (hours)","type":"integer","min":1,"max":4,"default":9}]');
  await expect(page.getByText('parameter "ttlHours" (default): needs min <= default <= max')).toBeVisible();
  await template.values.fill("controlPlane:\n  backingStore:\n    database:\n      embedded:\n        enabled: true\n# published from the admin page by e2e\n");
  await template.parameters.fill('[{"name":"ttlHours","label":"Lifetime (hours)","type":"integer","min":1,"max":4,"default":3}]');
  await page.getByLabel("What changed").fill("Three hours by default");
  await page.getByLabel("Default lifetime (hours)").fill("3");
  await expect(template.diff("Values")).toContainText("# published from the admin page by e2e");
  await expect(template.diff("Parameters")).toContainText('"default": 3');
  await expect(template.diff("Settings")).toContainText("defaultTtlHours: 3");
  await shot(page, "template-new-version");
  await template.publishButton().click();
  await expect(page.getByText("Version 2 published.").first()).toBeVisible();
  await expect(template.version(2)).toContainText("Three hours by default");
  await template.version(1).getByRole("button", { name: "Deprecate version 1" }).click();
  await expect(template.version(1)).toContainText("Deprecated");
  await shot(page, "template-versions");
  // "What changed" is shown where the form says: on the template's card in the catalog.
  await page.goto("/");
  await expect(page.getByTestId("template-ci-ephemeral").getByTestId("what-changed")).toHaveText("What changed in version 2: Three hours by default");

  const hosts = new AdminHostsPage(page);
  await hosts.goto();
  const local = hosts.host("local");
  await expect(local.getByTestId("local-host-state")).toBeVisible();
  await expect(local).toContainText("Virtual clusters");
  await shot(page, "hosts");
  // A vCluster Platform licence: a field error for a URL with a path, then saved and shown (never the key), then removed.
  await expect(local).toContainText("open source (vcluster-oss) · no licence");
  await local.getByRole("button", { name: "Licence of local" }).click();
  const licence = page.getByRole("dialog", { name: "vCluster Platform licence for local" });
  await licence.getByLabel("Platform address").fill("https://platform.example.test/login");
  await licence.getByLabel("Access key").fill("e2e-access-key");
  await licence.getByRole("button", { name: "Add licence" }).click();
  await expect(licence.getByText("Enter only the platform's https address: a host name and optionally a port, no path")).toBeVisible();
  await expectAccessible(page); // the dialog with a field error, light, dark and at a phone's width
  await licence.getByLabel("Platform address").fill("https://platform.example.test");
  await licence.getByLabel("Access key").fill("e2e-access-key");
  await licence.getByRole("button", { name: "Add licence" }).click();
  await expect(licence).toBeHidden();
  await expect(local).toContainText("licensed (vcluster-pro) · vCluster Platform platform.example.test, project default");
  await expect(page.locator("body")).not.toContainText("e2e-access-key");
  await local.getByRole("button", { name: "Licence of local" }).click();
  await expect(licence.getByLabel("Access key")).toHaveValue("");
  await licence.getByRole("button", { name: "Remove licence" }).click();
  await expect(licence).toBeHidden();
  await expect(local).toContainText("open source (vcluster-oss) · no licence");

  // The audit log: actions are picked from those that happened; targets are named and linked.
  const audit = new AuditPage(page);
  await audit.goto();
  await audit.pickAction("cluster.sleep");
  const target = audit.targetLink(`team-dev-${suffix}`);
  await expect(target).toHaveAttribute("href", /^\/clusters\/[^/]+$/);
  await expect(audit.table.getByText("cluster.wake", { exact: true })).toHaveCount(0);
  await audit.goto({ action: "sleep" });
  await expect(audit.filters.getByLabel("Action")).toHaveValue("sleep");
  await expect(audit.targetLink(`team-dev-${suffix}`)).toBeVisible();
  await audit.pickAction("template.version.create");
  await audit.targetLink("ci-ephemeral v2").click();
  await expect(page).toHaveURL(/\/admin\/templates\/ci-ephemeral$/);
  await audit.goto({ from: "2026-02-31" });
  await expect(audit.filters.getByLabel(/^From \(day in /)).toHaveAttribute("aria-invalid", "true");
  await expect(audit.filters.getByText("Not a valid date")).toBeVisible();
  await expect(page.getByText("Correct the marked filter above.")).toBeVisible();
});

test("the quota dialog opens on its first field, reports every field's problem at once and keeps what was typed", async ({ page }) => {
  await signInAs(page, "admin@example.com");
  const teams = new AdminTeamsPage(page);
  await teams.goto();
  await teams.editQuota("Payments");
  await expect(teams.field("Clusters")).toBeFocused();
  const savedCpu = await teams.field("CPU (cores)").inputValue();

  const paymentsClusters = await teams.field("Clusters").inputValue();
  await teams.field("Clusters").fill("-1");
  await teams.field("CPU (cores)").fill("-1");
  await teams.field("Max lifetime (hours)").fill("0");
  await teams.dialog.getByRole("button", { name: "Save quota" }).click();
  await expect(teams.errorSummary).toBeFocused();
  await expect(teams.errorSummary).toContainText("Clusters: Clusters must be at least 0");
  await expect(teams.errorSummary).toContainText("CPU (cores): CPU must be at least 0");
  await expect(teams.errorSummary).toContainText("Max lifetime (hours): Max lifetime must be at least 1");
  await expect(teams.field("CPU (cores)")).toHaveAttribute("aria-invalid", "true");
  await expect(teams.field("Clusters")).toHaveAttribute("aria-invalid", "true");
  await expect(teams.field("Clusters")).toHaveValue("-1");
  await expect(teams.field("CPU (cores)")).toHaveValue("-1");
  await expect(teams.field("Max lifetime (hours)")).toHaveValue("0");
  await shot(page, "quota-errors");
  // A line of the summary takes the person to its field.
  await teams.errorSummary.getByRole("link", { name: /^CPU/ }).click();
  await expect(teams.field("CPU (cores)")).toBeFocused();

  // Closed and opened again, it starts over from the saved quota.
  await teams.dialog.getByRole("button", { name: "Cancel" }).click();
  await teams.editQuota("Payments");
  await expect(teams.field("Clusters")).toHaveValue(paymentsClusters);
  await expect(teams.field("CPU (cores)")).toHaveValue(savedCpu);
  await expect(teams.errorSummary).toHaveCount(0);
  await teams.dialog.getByRole("button", { name: "Cancel" }).click();

  // A one-click Create that fails says so on the template's card, and stays there (a toast would be gone).
  await teams.editQuota("Search");
  const savedClusters = await teams.field("Clusters").inputValue();
  await teams.field("Clusters").fill("0");
  await teams.dialog.getByRole("button", { name: "Save quota" }).click();
  await expect(teams.dialog).toBeHidden();
  try {
    const dev = await signedIn(page.context().browser()!, "dev.search@example.com");
    const home = new HomePage(dev);
    await home.goto();
    await dev.getByRole("button", { name: "Create a Sandbox cluster" }).click();
    const error = home.createError("Sandbox");
    await expect(error).toContainText("This request exceeds your team's quota for clusters (");
    await expect(error.getByRole("link", { name: "Customize the request" })).toHaveAttribute("href", "/request/sandbox");
    await dev.waitForTimeout(6_000);
    await expect(error).toContainText("exceeds your team's quota");
    await expect(dev).toHaveURL(/\/$/);
    await shot(dev, "create-error");
    await dev.context().close();
  } finally {
    await teams.editQuota("Search");
    await teams.field("Clusters").fill(savedClusters);
    await teams.dialog.getByRole("button", { name: "Save quota" }).click();
    await expect(teams.dialog).toBeHidden();
  }
});
