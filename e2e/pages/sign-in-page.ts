import { expect, type Page } from "@playwright/test";
import { LocalIdpPage } from "./local-idp-page";

/** The portal's /signin: one button that continues at the OpenID Connect provider, and an alert when a sign-in failed. */
export class SignInPage {
  constructor(readonly page: Page) {}

  get heading() {
    return this.page.getByRole("heading", { level: 1, name: /sign in/i });
  }

  get continueButton() {
    return this.card.getByRole("button", { name: /^Continue with / });
  }

  /** The sign-in card (Next.js's route announcer is an alert too, outside it). */
  get card() {
    return this.page.getByRole("region", { name: "Sign in to vcluster portal" });
  }

  get alert() {
    return this.card.getByRole("alert");
  }

  async goto() {
    await this.page.goto("/signin");
  }

  async expectShown() {
    await expect(this.page).toHaveURL(/\/signin/);
    await expect(this.heading).toBeVisible();
  }

  /** Continues at the provider; resolves on its sign-in page. */
  async continueToProvider(): Promise<LocalIdpPage> {
    await this.continueButton.click();
    const idp = new LocalIdpPage(this.page);
    await idp.expectShown();
    return idp;
  }

  /** The whole sign-in: continue, pick the person at the provider, back in the portal and off /signin. */
  async signInAs(email: string) {
    const portal = new URL(this.page.url()).origin;
    const idp = await this.continueToProvider();
    await idp.choose(email);
    await this.page.waitForURL((url) => url.origin === portal && !url.pathname.startsWith("/signin"));
  }
}
