import { expect, type Locator, type Page } from "@playwright/test";

/** `/`: My clusters, Your teams and the template catalog. */
export class HomePage {
  readonly myClusters: Locator;
  readonly teams: Locator;
  readonly catalog: Locator;

  constructor(readonly page: Page) {
    this.myClusters = page.getByRole("region", { name: "My clusters" });
    this.teams = page.getByRole("region", { name: "Your teams" });
    this.catalog = page.getByRole("region", { name: "Templates" });
  }

  async goto() {
    await this.page.goto("/");
    await expect(this.myClusters).toBeVisible();
  }

  /** A team in "Your teams" with its role badge ("Member" / "Lead"). */
  team(name: string): Locator {
    return this.teams.getByRole("listitem").filter({ hasText: name });
  }

  /** One of a team's quota meters in "Your teams" ("Clusters", "CPU", "Memory"). */
  meter(teamName: string, label: "Clusters" | "CPU" | "Memory"): Locator {
    return this.team(teamName).getByRole("meter", { name: label });
  }

  template(name: string): Locator {
    return this.catalog.getByRole("article", { name });
  }

  clusterRow(name: string): Locator {
    return this.myClusters.getByRole("link").filter({ hasText: name });
  }

  /** One click on a card's Create: the portal requests it with defaults and opens its page. Returns the cluster id. */
  async createFromTemplate(templateName: string): Promise<string> {
    await this.page.getByRole("button", { name: `Create a ${templateName} cluster` }).click();
    await this.page.waitForURL(/\/clusters\/[^/]+$/);
    return new URL(this.page.url()).pathname.split("/").pop()!;
  }

  /** Why the last one-click Create on a card failed, shown on the card itself. */
  createError(templateName: string): Locator {
    return this.template(templateName).getByTestId("create-error");
  }

  async customize(templateName: string) {
    await this.page.getByRole("link", { name: `Customize a ${templateName} cluster` }).click();
    await this.page.waitForURL(/\/request\//);
  }
}
