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
    if (fields.team !== undefined) await form.getByLabel("Team", { exact: true }).selectOption(fields.team);
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

  /** The values editor's text area (CodeMirror's contenteditable, labelled like the field). */
  get values(): Locator {
    return this.page.getByLabel("Values (vcluster.yaml)");
  }

  get valuesEditor(): Locator {
    return this.page.getByTestId("editor-valuesYaml");
  }

  /** The numbers in the values editor's gutter that carry an error marker. */
  async markedLines(): Promise<string[]> {
    return this.valuesEditor.evaluate((editor) => {
      const numbers = [...editor.querySelectorAll(".cm-lineNumbers .cm-gutterElement")].map((n) => ({ top: n.getBoundingClientRect().top, text: n.textContent ?? "" }));
      return [...editor.querySelectorAll(".cm-lint-marker-error")].map((m) => {
        const top = m.closest(".cm-gutterElement")!.getBoundingClientRect().top;
        return numbers.find((n) => Math.abs(n.top - top) < 2)?.text ?? "?";
      });
    });
  }

  get disagreements(): Locator {
    return this.page.getByTestId("settings-disagreements");
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

  get filters(): Locator {
    return this.page.getByRole("form", { name: "Filter audit events" });
  }

  /** Picks an action in the filter's picker and applies the filter. */
  async pickAction(action: string) {
    await this.filters.getByLabel("Action").selectOption(action);
    await this.filters.getByRole("button", { name: "Filter" }).click();
    await expect(this.page).toHaveURL(new RegExp(`action=${encodeURIComponent(action).replace(/\./g, "\\.")}`));
  }

  /** The target cell (a link where the target has a page) of the newest event whose target is named `name`. */
  targetLink(name: string): Locator {
    return this.table.getByTestId("audit-target").filter({ hasText: name }).first();
  }
}

/** What every admin page shows to someone who may not see it. */
export function adminNotFound(page: Page): Locator {
  return page.getByText("Page not found", { exact: true });
}
