import { expect, type Locator, type Page } from "@playwright/test";

/** The rows of a tokens table, found by the token's name (its row header). */
function tokenRow(page: Page, table: Locator, name: string): Locator {
  return table.getByRole("row").filter({ has: page.getByRole("rowheader", { name, exact: true }) });
}

/** Revoke a token from its row: the button opens a confirmation dialog, which does it. */
async function revokeFromRow(page: Page, row: Locator, name: string) {
  await row.getByRole("button", { name: `Revoke token ${name}` }).click();
  const dialog = page.getByRole("dialog", { name: `Revoke token ${name}?` });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText("This cannot be undone.");
  await dialog.getByRole("button", { name: "Revoke token" }).click();
  await expect(dialog).toBeHidden();
}

/** `/settings/tokens`: create a personal API token (shown once), list and revoke one's own. */
export class TokensPage {
  readonly form: Locator;
  readonly name: Locator;
  readonly expiresInDays: Locator;
  readonly create: Locator;
  readonly newToken: Locator;
  readonly newTokenValue: Locator;
  readonly table: Locator;
  readonly emptyState: Locator;

  constructor(readonly page: Page) {
    this.form = page.getByRole("form", { name: "Create an API token" });
    this.name = this.form.getByLabel("Name", { exact: true });
    this.expiresInDays = this.form.getByLabel("Expires in (days)");
    this.create = this.form.getByRole("button", { name: "Create token" });
    this.newToken = page.getByRole("region", { name: /^Your new token/ });
    this.newTokenValue = this.newToken.getByRole("textbox", { name: "New API token" });
    this.table = page.getByRole("table", { name: "Your API tokens, newest first" });
    this.emptyState = page.getByText("No API tokens yet", { exact: true });
  }

  async goto() {
    await this.page.goto("/settings/tokens");
    await this.expectLoaded();
  }

  /** From anywhere in the portal: the key icon in the header. */
  async openFromHeader() {
    await this.page.getByRole("link", { name: "API tokens" }).click();
    await this.page.waitForURL(/\/settings\/tokens$/);
    await this.expectLoaded();
  }

  async expectLoaded() {
    await expect(this.page.getByRole("heading", { level: 1, name: "API tokens" })).toBeVisible();
  }

  scope(label: "Read only" | "Read and write"): Locator {
    return this.form.getByRole("radio", { name: new RegExp(`^${label}`) });
  }

  /** Fills the form and submits; returns the secret shown once. */
  async createToken({ name, days, scope }: { name: string; days?: number; scope?: "Read only" | "Read and write" }): Promise<string> {
    await this.name.fill(name);
    if (days !== undefined) await this.expiresInDays.fill(String(days));
    if (scope) await this.scope(scope).check();
    await this.create.click();
    await expect(this.newToken).toBeVisible();
    return this.newTokenValue.inputValue();
  }

  row(name: string): Locator {
    return tokenRow(this.page, this.table, name);
  }

  async revoke(name: string) {
    await revokeFromRow(this.page, this.row(name), name);
  }
}

/** `/admin/tokens`: everyone's tokens, filters in the URL, keyset paging, revoke. */
export class AdminTokensPage {
  readonly table: Locator;

  constructor(readonly page: Page) {
    this.table = page.getByRole("table", { name: "API tokens of everyone, newest first" });
  }

  async goto(filters: Record<string, string> = {}) {
    const q = new URLSearchParams(filters).toString();
    await this.page.goto(`/admin/tokens${q ? `?${q}` : ""}`);
    await expect(this.page.getByRole("heading", { level: 1, name: "API tokens" })).toBeVisible();
  }

  async filter(fields: { owner?: string; status?: string }) {
    const form = this.page.getByRole("form", { name: "Filter tokens" });
    if (fields.owner !== undefined) await form.getByLabel("Owner e-mail").fill(fields.owner);
    if (fields.status !== undefined) await form.getByLabel("Status").selectOption(fields.status);
    await form.getByRole("button", { name: "Filter" }).click();
  }

  row(name: string): Locator {
    return tokenRow(this.page, this.table, name);
  }

  async revoke(name: string) {
    await revokeFromRow(this.page, this.row(name), name);
  }
}
