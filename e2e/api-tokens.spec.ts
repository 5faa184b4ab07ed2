import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures/a11y";
import { signInAs } from "./fixtures/auth";
import { adminNotFound } from "./pages/admin-pages";
import { AdminTokensPage, TokensPage } from "./pages/tokens-page";

// Personal API tokens: a developer creates one on Settings → API tokens, sees the secret exactly once,
// uses it against /api/v1, and revokes it; its next request gets 401. An admin sees and revokes
// everyone's tokens.

const suffix = Math.random().toString(36).slice(2, 6);

async function shot(page: Page, name: string) {
  await page.screenshot({ path: `test-results/api-tokens-${name}.png`, fullPage: true });
}

/** GET /api/v1/clusters with a bearer token, through the running portal. */
async function listWith(page: Page, token: string) {
  return page.request.get("/api/v1/clusters", { headers: { Authorization: `Bearer ${token}` } });
}

test.describe.configure({ mode: "serial" });

const ciName = `ci-${suffix}`;
const laptopName = `laptop-${suffix}`;

test("a developer creates a token, sees it once, uses it, and revokes it: its next request gets 401", async ({ page, context }) => {
  test.setTimeout(180_000);
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await signInAs(page, "dev.payments@example.com");
  const tokens = new TokensPage(page);
  await tokens.openFromHeader();
  await shot(page, "empty");

  // Read only is preselected (the safer choice).
  await expect(tokens.scope("Read only")).toBeChecked();
  // A name is required: the field says so and nothing is created.
  await tokens.create.click();
  await expect(tokens.form.getByTestId("error-summary")).toBeFocused();
  await expect(tokens.form.getByTestId("error-summary")).toContainText("Name: Give the token a name");
  await expect(tokens.name).toHaveAttribute("aria-invalid", "true");
  await expect(tokens.newToken).toBeHidden();

  const secret = await tokens.createToken({ name: ciName, days: 30, scope: "Read and write" });
  expect(secret).toMatch(/^vcp_[A-Za-z0-9_-]{43}$/);
  await expect(tokens.newToken).toContainText("it will not be shown again");
  await expect(tokens.newToken).toContainText("Scopes: read, write");
  await tokens.newToken.getByRole("button", { name: "Copy token" }).click();
  await expect(tokens.newToken.getByText("Copied", { exact: true })).toBeAttached();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
  await shot(page, "created");

  // Listed by name, prefix and scopes, never the secret.
  const row = tokens.row(ciName);
  await expect(row).toContainText(`${secret.slice(0, 12)}…`);
  await expect(row).toContainText("read");
  await expect(row).toContainText("write");
  await expect(row).toContainText("never");
  await expect(row).toContainText("Active");
  await expect(tokens.table).not.toContainText(secret.slice(12));

  // Dismissed, the secret is gone for good; a reload does not bring it back either.
  await tokens.newToken.getByRole("button", { name: "I have copied it" }).click();
  await expect(tokens.newToken).toBeHidden();
  await page.reload();
  await tokens.expectLoaded();
  expect(await page.content()).not.toContain(secret.slice(12));

  // The token works against the REST API, and the list shows it was used.
  const ok = await listWith(page, secret);
  expect(ok.status()).toBe(200);
  expect(await ok.json()).toHaveProperty("clusters");
  await page.reload();
  await expect(tokens.row(ciName)).not.toContainText("never");

  await tokens.revoke(ciName);
  await expect(tokens.row(ciName)).toContainText("Revoked");
  await expect(tokens.row(ciName).getByRole("button", { name: `Revoke token ${ciName}` })).toHaveCount(0);
  await shot(page, "revoked");

  const refused = await listWith(page, secret);
  expect(refused.status()).toBe(401);
  const body = await refused.json();
  expect(body.error.code).toBe("UNAUTHENTICATED");
  expect(body.error.message).toMatch(/^This API token was revoked on /);
});

test("a read-only token lists clusters but cannot request one (403 naming the write scope)", async ({ page }) => {
  await signInAs(page, "dev.payments@example.com");
  const tokens = new TokensPage(page);
  await tokens.goto();
  const secret = await tokens.createToken({ name: laptopName });
  await expect(tokens.newToken).toContainText("Scopes: read ·");

  expect((await listWith(page, secret)).status()).toBe(200);
  const denied = await page.request.post("/api/v1/clusters", {
    headers: { Authorization: `Bearer ${secret}` },
    data: { team: "payments", template: "sandbox", name: `denied-${suffix}` },
  });
  expect(denied.status()).toBe(403);
  expect((await denied.json()).error.message).toContain('lacks the "write" scope');
});

test("an admin sees everyone's tokens with their owners and revokes one; others cannot open the page", async ({ browser }) => {
  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await signInAs(admin, "admin@example.com");
  await admin.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Tokens", exact: true }).click();
  const all = new AdminTokensPage(admin);
  await expect(admin.getByRole("heading", { level: 1, name: "API tokens" })).toBeVisible();
  await all.filter({ owner: "dev.payments@example.com" });
  await admin.waitForURL(/owner=dev\.payments%40example\.com/);
  await expect(all.row(ciName)).toContainText("dev.payments@example.com");
  await expect(all.row(ciName)).toContainText("Revoked");
  await expect(all.row(laptopName)).toContainText("Active");

  await all.revoke(laptopName);
  await expect(all.row(laptopName)).toContainText("Revoked");
  await all.filter({ status: "active" });
  await expect(all.row(laptopName)).toHaveCount(0);
  await shot(admin, "admin");

  // The owner's own list shows it revoked.
  const devContext = await browser.newContext();
  const dev = await devContext.newPage();
  await signInAs(dev, "dev.payments@example.com");
  const mine = new TokensPage(dev);
  await mine.goto();
  await expect(mine.row(laptopName)).toContainText("Revoked");
  // No admin view for a developer: not found, and no "Tokens" link in the navigation.
  await expect(dev.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Tokens", exact: true })).toHaveCount(0);
  await dev.goto("/admin/tokens");
  await expect(adminNotFound(dev)).toBeVisible();
  await adminContext.close();
  await devContext.close();
});
