import { expect, type Locator, type Page } from "@playwright/test";

/** `/request/[template]`: the customize form generated from the template's parameters. */
export class RequestPage {
  readonly name: Locator;
  readonly submit: Locator;
  readonly quota: Locator;
  /** The error summary above the fields: it takes focus after a failed submit. */
  readonly errorSummary: Locator;
  readonly form: Locator;

  constructor(readonly page: Page) {
    this.name = page.getByLabel("Name", { exact: true });
    this.submit = page.getByRole("button", { name: /Create cluster|Request for approval/ });
    this.quota = page.locator("[aria-labelledby=quota-title]");
    this.form = page.getByRole("form", { name: "Cluster settings" });
    this.errorSummary = this.form.getByTestId("error-summary");
  }

  async goto(templateSlug: string) {
    await this.page.goto(`/request/${templateSlug}`);
    await expect(this.page.getByRole("heading", { level: 1 })).toContainText("Request a");
  }

  parameter(label: string): Locator {
    return this.page.getByLabel(label, { exact: true });
  }

  /** The error text tied to a field through aria-describedby. */
  async errorOf(field: Locator): Promise<string> {
    const ids = ((await field.getAttribute("aria-describedby")) ?? "").split(/\s+/).filter((id) => id.endsWith("-error"));
    const texts = await Promise.all(ids.map((id) => this.page.locator(`[id="${id}"]`).innerText()));
    return texts.join(" ");
  }
}
