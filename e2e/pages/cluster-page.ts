import { expect, type Download, type Locator, type Page } from "@playwright/test";

/** `/clusters/[id]`: live phase and progress, connect panel, lifecycle actions, timeline. */
export class ClusterPage {
  readonly heading: Locator;
  readonly phase: Locator;
  readonly progress: Locator;
  readonly timeline: Locator;
  readonly downloadLink: Locator;
  readonly notFound: Locator;
  /** Why the last kubeconfig download failed, shown beside the button. */
  readonly downloadError: Locator;
  readonly requestAgain: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole("heading", { level: 1 });
    this.phase = page.locator("main [data-phase]").first();
    this.progress = page.getByRole("list", { name: "Provisioning progress" });
    this.timeline = page.getByRole("list", { name: "Timeline" });
    this.downloadLink = page.getByRole("link", { name: "Download kubeconfig" });
    this.notFound = page.getByRole("heading", { name: /not found/i });
    this.downloadError = page.getByTestId("kubeconfig-error");
    this.requestAgain = page.getByRole("link", { name: "Request again" });
  }

  async goto(id: string) {
    await this.page.goto(`/clusters/${id}`);
  }

  async clusterName(): Promise<string> {
    return (await this.heading.innerText()).trim();
  }

  /** Waits for the phase badge (updated by polling, without reloads) to read `label`. */
  async waitForPhase(label: string, timeout = 90_000) {
    await expect(this.phase).toHaveText(label, { timeout });
  }

  async downloadKubeconfig(): Promise<Download> {
    const [download] = await Promise.all([this.page.waitForEvent("download"), this.downloadLink.click()]);
    return download;
  }
}
