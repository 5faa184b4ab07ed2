import { expect, type Locator, type Page } from "@playwright/test";

/** `/admin/teams`: every team with its quota, and the "Edit quota" dialog. */
export class AdminTeamsPage {
  readonly dialog: Locator;

  constructor(readonly page: Page) {
    this.dialog = page.getByRole("dialog");
  }

  async goto() {
    await this.page.goto("/admin/teams");
    await expect(this.page.getByRole("heading", { level: 1, name: "Teams" })).toBeVisible();
  }

  /** Opens a team's quota dialog and returns it. */
  async editQuota(teamName: string): Promise<Locator> {
    await this.page.getByRole("button", { name: `Edit quota of ${teamName}` }).click();
    await expect(this.dialog).toBeVisible();
    return this.dialog;
  }

  /** A team row's quota meter ("Clusters", "CPU", "Memory"). */
  meter(slug: string, label: "Clusters" | "CPU" | "Memory"): Locator {
    return this.page.locator(`tr[data-team="${slug}"]`).getByRole("meter", { name: label });
  }

  field(label: string): Locator {
    return this.dialog.getByLabel(label, { exact: true });
  }

  get errorSummary(): Locator {
    return this.dialog.getByTestId("error-summary");
  }
}
