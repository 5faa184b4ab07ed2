import { mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "./fixtures/a11y";
import { parse } from "yaml";
import { signInAs } from "./fixtures/auth";
import { ClusterPage } from "./pages/cluster-page";
import { HomePage } from "./pages/home-page";
import { RequestPage } from "./pages/request-page";
import { SignInPage } from "./pages/sign-in-page";

// A developer's day one: one click for a Sandbox, watch it come up, take the kubeconfig. And a person of
// another team who gets the link sees nothing.

const docsShots = path.resolve(import.meta.dirname, "..", "docs", "screenshots");

// The e2e tier runs the production build (no dev overlay); toasts are hidden only in the README's copies.
const hideToasts = "[data-sonner-toaster] { display: none !important; }";

/** Screenshot into test-results/, and for the README also into docs/screenshots/<name>.png. */
async function shot(page: import("@playwright/test").Page, name: string, forDocs = false) {
  await page.screenshot({ path: `test-results/developer-${name}.png`, fullPage: true });
  if (forDocs) {
    mkdirSync(docsShots, { recursive: true });
    await page.screenshot({ path: path.join(docsShots, `${name}.png`), fullPage: true, style: hideToasts });
  }
}

test.describe.configure({ mode: "serial" });

let clusterId = "";
let clusterName = "";

test("a developer requests a Sandbox with one click, watches it become ready and downloads its kubeconfig", async ({ page }) => {
  test.setTimeout(240_000);
  await signInAs(page, "dev.payments@example.com");
  const home = new HomePage(page);
  await home.goto();
  await expect(home.template("Sandbox")).toBeVisible();
  await expect(home.template("Team dev")).toContainText("Needs approval");
  await shot(page, "home-before");

  clusterId = await home.createFromTemplate("Sandbox");
  const cluster = new ClusterPage(page);
  clusterName = await cluster.clusterName();
  expect(clusterName).toMatch(/^sandbox-[a-z]+-[a-z]+$/);
  // Live progress while it is provisioned (the page polls; no reloads).
  await expect(cluster.progress).toBeVisible();
  await expect(cluster.timeline).toContainText("Requested by Dana Developer");
  await shot(page, "cluster-provisioning");

  await cluster.waitForPhase("Ready", 90_000);
  await expect(cluster.downloadLink).toBeVisible();
  await expect(page.getByText(`export KUBECONFIG=~/Downloads/${clusterName}.kubeconfig.yaml`)).toBeVisible();
  await expect(page.getByText("kubectl get ns")).toBeVisible();
  await expect(page.getByText(new RegExp(`vcluster connect ${clusterName} -n vc-payments-${clusterName}-[a-z0-9]{5}`))).toBeVisible();
  await expect(page.getByRole("button", { name: "Sleep" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Delete" })).toBeVisible();
  await shot(page, "cluster", true);

  const download = await cluster.downloadKubeconfig();
  expect(download.suggestedFilename()).toBe(`${clusterName}.kubeconfig.yaml`);
  const text = readFileSync(await download.path(), "utf8");
  const kubeconfig = parse(text) as { clusters: { cluster: { server?: string } }[]; contexts: { name: string }[]; "current-context": string };
  expect(kubeconfig.clusters[0]!.cluster.server).toMatch(/^https:\/\//);
  expect(kubeconfig["current-context"]).toBe(`payments-${clusterName}`);
  expect(kubeconfig.contexts.map((c) => c.name)).toContain(`payments-${clusterName}`);

  await home.goto();
  await expect(home.clusterRow(clusterName)).toContainText("Ready");
  await shot(page, "home", true);
});

test("the customize form is generated from the template's parameters and checks the name as you type", async ({ page }) => {
  await signInAs(page, "dev.payments@example.com");
  const home = new HomePage(page);
  await home.goto();
  await home.customize("Sandbox");
  const form = new RequestPage(page);
  await expect(form.name).toHaveValue(/^sandbox-[a-z]+-[a-z]+$/);
  await expect(form.parameter("Size")).toHaveValue("small");
  await expect(form.parameter("Kubernetes version")).toHaveValue("1.36");
  await expect(form.parameter("Lifetime (hours)")).toHaveValue("8");
  await expect(form.quota).toContainText("1 CPU · 2 GiB");
  await shot(page, "request", true);

  await form.parameter("Size").selectOption("medium");
  await expect(form.quota).toContainText("2 CPU · 4 GiB");
  await form.name.fill("Not_Valid");
  await expect(form.name).toHaveAttribute("aria-invalid", "true");
  expect(await form.errorOf(form.name)).toMatch(/lower-case letters/i);
  await form.name.fill("my-sandbox");
  await expect(form.name).not.toHaveAttribute("aria-invalid");

  // Every field's problem at once, in the portal's words (never the browser's pop-up), next to each field and
  // in a summary that takes focus; what was typed stays.
  const lifetime = form.parameter("Lifetime (hours)");
  await form.name.fill("X");
  await lifetime.fill("0");
  await form.submit.click();
  await expect(form.errorSummary).toBeFocused();
  await expect(form.errorSummary).toContainText("Name: Use lower-case letters");
  await expect(form.errorSummary).toContainText("Lifetime (hours): Lifetime (hours) must be at least 1");
  expect(await form.errorOf(form.name)).toMatch(/lower-case letters/i);
  expect(await form.errorOf(lifetime)).toContain("must be at least 1");
  await expect(form.name).toHaveValue("X");
  await expect(lifetime).toHaveValue("0");
  await expect(page).toHaveURL(/\/request\/sandbox/);
  await shot(page, "request-errors");

  // The server's answer, per field and for the form: the first test's cluster already has that name.
  // Serial mode: this runs only after the first test passed and set the name.
  expect(clusterName, "the first test's cluster").not.toBe("");
  await lifetime.fill("6");
  await form.name.fill(clusterName);
  await form.submit.click();
  await expect(page.getByRole("alert").filter({ hasText: "Please choose another name" })).toBeVisible();
  await expect(form.errorSummary).toBeFocused();
  expect(await form.errorOf(form.name)).toContain(`"${clusterName}" is already used by a cluster of Payments`);
  await expect(form.errorSummary).not.toContainText("Lifetime");
  await expect(lifetime).toHaveValue("6");
  await expect(form.parameter("Size")).toHaveValue("medium");
  await shot(page, "request-error");
});

test("a member of another team opening the cluster's URL gets “not found”", async ({ browser }) => {
  expect(clusterId, "the first test's cluster").not.toBe("");
  const context = await browser.newContext();
  const page = await context.newPage();
  await signInAs(page, "dev.search@example.com");
  const cluster = new ClusterPage(page);
  await cluster.goto(clusterId);
  await expect(cluster.notFound).toBeVisible();
  await expect(page.getByText(clusterName)).toHaveCount(0);
  const api = await page.request.get(`/api/v1/clusters/${clusterId}`);
  expect(api.status()).toBe(404);
  const kube = await page.request.get(`/api/v1/clusters/${clusterId}/kubeconfig`);
  expect(kube.status()).toBe(404);
  await page.screenshot({ path: "test-results/developer-not-found.png" });
  await context.close();
});

test("a signed-out person opening a cluster's link signs in and lands on that cluster", async ({ browser }) => {
  expect(clusterId, "the first test's cluster").not.toBe("");
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`/clusters/${clusterId}`);
  const signIn = new SignInPage(page);
  await signIn.expectShown();
  expect(new URL(page.url()).searchParams.get("callbackUrl")).toBe(`/clusters/${clusterId}`);
  await signIn.signInAs("dev.payments@example.com");
  await expect(page).toHaveURL(new RegExp(`/clusters/${clusterId}$`));
  await expect(new ClusterPage(page).heading).toHaveText(clusterName);
  await context.close();
});

test("a kubeconfig download that fails says why on the page", async ({ browser }) => {
  expect(clusterId, "the first test's cluster").not.toBe("");
  const context = await browser.newContext();
  const page = await context.newPage();
  await signInAs(page, "dev.payments@example.com");
  const cluster = new ClusterPage(page);
  await cluster.goto(clusterId);
  await expect(cluster.downloadLink).toBeVisible();
  // The session ends (signed out in another tab, or it lapsed) while the page is open.
  await context.clearCookies();
  let downloaded = false;
  page.on("download", () => (downloaded = true));
  await cluster.downloadLink.click();
  await expect(cluster.downloadError).toContainText("Your session has ended, so the kubeconfig was not downloaded.");
  await expect(cluster.downloadError.getByRole("link", { name: "Sign in" })).toHaveAttribute("href", `/signin?callbackUrl=%2Fclusters%2F${clusterId}`);
  expect(downloaded).toBe(false);
  await shot(page, "kubeconfig-error");
  await context.close();
});
