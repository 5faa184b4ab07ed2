import { expect, type Locator, type Page } from "@playwright/test";

/** `/admin/clusters`: every cluster, filters in the URL, keyset paging. */
export class AdminClustersPage {
  readonly table: Locator;

  constructor(readonly page: Page) {
    this.table = page.getByTestId("clusters-table");
  }

  async goto(filters: Record<string, string> = {}) {
    const q = new URLSearchParams(filters).toString();
    await this.page.goto(`/admin/clusters${q ? `?${q}` : ""}`);
    await expect(this.page.getByRole("heading", { level: 1, name: "All clusters" })).toBeVisible();
  }

  async filter(fields: { name?: string; team?: string; owner?: string; phase?: string; template?: string }) {
    const form = this.page.getByRole("form", { name: "Filter clusters" });
    if (fields.name !== undefined) await form.getByLabel("Name contains").fill(fields.name);
    if (fields.team !== undefined) await form.getByLabel("Team (slug)").fill(fields.team);
    if (fields.owner !== undefined) await form.getByLabel("Owner e-mail").fill(fields.owner);
    if (fields.phase !== undefined) await form.getByLabel("Phase").selectOption(fields.phase);
    if (fields.template !== undefined) await form.getByLabel("Template").selectOption(fields.template);
    await form.getByRole("button", { name: "Filter" }).click();
  }

  row(clusterName: string): Locator {
    return this.table.getByRole("row").filter({ has: this.page.getByRole("link", { name: clusterName, exact: true }) });
  }
}

/** `/admin/templates/[slug]`: versions, "New version" with live validation and diff, deprecate. */
export class AdminTemplatePage {
  constructor(readonly page: Page) {}

  async goto(slug: string) {
    await this.page.goto(`/admin/templates/${slug}`);
    await expect(this.page.getByRole("heading", { level: 2, name: "Versions" })).toBeVisible();
  }

  async openNewVersion() {
    await this.page.getByRole("button", { name: "New version" }).click();
  }

  get values(): Locator {
    return this.page.getByLabel("Values (vcluster.yaml)");
  }

  get parameters(): Locator {
    return this.page.getByLabel("Parameters (JSON)");
  }

  diff(section: "Settings" | "Values" | "Parameters"): Locator {
    return this.page.getByTestId(`diff-${section.toLowerCase()}`);
  }

  publishButton(): Locator {
    return this.page.getByRole("button", { name: /^Publish version \d+$/ });
  }

  version(n: number): Locator {
    return this.page.locator(`[data-version="${n}"]`);
  }
}

/** `/admin/hosts`. */
export class AdminHostsPage {
  constructor(readonly page: Page) {}

  async goto() {
    await this.page.goto("/admin/hosts");
    await expect(this.page.getByRole("heading", { level: 1, name: "Host clusters" })).toBeVisible();
  }

  host(name: string): Locator {
    return this.page.locator(`[data-host="${name}"]`);
  }
}

/** `/admin/audit`. */
export class AuditPage {
  readonly table: Locator;

  constructor(readonly page: Page) {
    this.table = page.getByTestId("audit-table");
  }

  async goto(filters: Record<string, string> = {}) {
    const q = new URLSearchParams(filters).toString();
    await this.page.goto(`/admin/audit${q ? `?${q}` : ""}`);
    await expect(this.page.getByRole("heading", { level: 1, name: "Audit log" })).toBeVisible();
  }
}

/** What every admin page shows to someone who may not see it. */
export function adminNotFound(page: Page): Locator {
  return page.getByText("Page not found", { exact: true });
}
