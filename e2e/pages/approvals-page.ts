import { expect, type Locator, type Page } from "@playwright/test";

/** `/admin/approvals`: the queue with per-row and bulk approve/reject. */
export class ApprovalsPage {
  readonly heading: Locator;
  readonly queue: Locator;
  readonly bulkBar: Locator;
  readonly dialog: Locator;
  readonly empty: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole("heading", { level: 1, name: "Approvals" });
    this.queue = page.getByRole("table", { name: /Requests waiting for approval/ });
    this.bulkBar = page.getByRole("region", { name: "Bulk actions" });
    this.dialog = page.getByRole("dialog");
    this.empty = page.getByText("Nothing to approve");
  }

  async goto() {
    await this.page.goto("/admin/approvals");
    await expect(this.heading).toBeVisible();
  }

  row(clusterName: string): Locator {
    return this.page.locator(`tr[data-request="${clusterName}"]`);
  }

  /** A row's quota meter of the request's team; its aria-valuetext reads e.g. "1 of 5 in use, 1 more waiting for approval (this request)". */
  meter(clusterName: string, label: "Clusters" | "CPU" | "Memory"): Locator {
    return this.row(clusterName).getByRole("meter", { name: label });
  }

  async select(clusterName: string) {
    await this.page.getByRole("checkbox", { name: `Select ${clusterName}` }).check();
  }

  async approve(clusterName: string, reason?: string) {
    await this.page.getByRole("button", { name: `Approve ${clusterName}` }).click();
    await this.confirm("Approve", reason);
  }

  async reject(clusterName: string, reason: string) {
    await this.page.getByRole("button", { name: `Reject ${clusterName}` }).click();
    await this.confirm("Reject", reason);
  }

  async bulk(decision: "Approve" | "Reject", reason?: string) {
    await this.bulkBar.getByRole("button", { name: new RegExp(`^${decision} \\d+`) }).click();
    await this.confirm(decision, reason);
  }

  private async confirm(decision: "Approve" | "Reject", reason?: string) {
    await expect(this.dialog).toBeVisible();
    if (reason !== undefined) await this.dialog.getByLabel(/^Reason/).fill(reason);
    await this.dialog.getByRole("button", { name: new RegExp(`^${decision}( \\d+)?$`) }).click();
    await expect(this.dialog).toBeHidden();
  }
}
