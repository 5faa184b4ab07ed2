import { expect, type Locator, type Page } from "@playwright/test";

/** `/teams/[slug]`: quota bars, usage chart, owners, expiring clusters and members. */
export class TeamPage {
  readonly heading: Locator;
  readonly owners: Locator;
  readonly expiring: Locator;
  readonly members: Locator;
  readonly chart: Locator;
  readonly notFound: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole("heading", { level: 1 });
    this.owners = page.getByTestId("owners-table");
    this.expiring = page.getByTestId("expiring-soon");
    this.members = page.getByTestId("members");
    this.chart = page.getByTestId("usage-chart");
    this.notFound = page.getByRole("heading", { level: 1, name: "Team not found" });
  }

  async goto(slug: string) {
    await this.page.goto(`/teams/${slug}`);
  }

  /** One of the quota meters ("Clusters", "CPU", "Memory"). */
  meter(label: "Clusters" | "CPU" | "Memory"): Locator {
    return this.page.getByTestId("quota-bars").getByRole("meter", { name: label });
  }

  /** The meter's text value, e.g. "3 of 5 in use, 1 more waiting for approval" or "2.5 of 8 CPU in use". */
  async usage(label: "Clusters" | "CPU" | "Memory"): Promise<string> {
    return (await this.meter(label).getAttribute("aria-valuetext")) ?? "";
  }

  /** What is in use (not what waits for approval). */
  async used(label: "Clusters" | "CPU" | "Memory"): Promise<number> {
    return Number(await this.meter(label).getAttribute("aria-valuenow"));
  }

  ownerRow(email: string): Locator {
    return this.owners.getByRole("row").filter({ hasText: email });
  }

  async expectMember(email: string, role: "Lead" | "Member") {
    await expect(this.members.getByRole("listitem").filter({ hasText: email })).toContainText(role);
  }
}
