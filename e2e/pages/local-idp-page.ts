import { expect, type Page } from "@playwright/test";

/**
 * The sign-in page of the local OpenID Connect provider (scripts/oidc/provider.ts, the one `npm start` runs):
 * one button per person, named by their e-mail and described by their name and groups; and Cancel.
 */
export class LocalIdpPage {
  constructor(readonly page: Page) {}

  get heading() {
    return this.page.getByRole("heading", { level: 1, name: "Local identity provider" });
  }

  get people() {
    return this.page.getByRole("form", { name: "People" }).getByRole("button");
  }

  person(email: string) {
    return this.page.getByRole("button", { name: email, exact: true });
  }

  get cancel() {
    return this.page.getByRole("button", { name: "Cancel", exact: true });
  }

  async expectShown() {
    const issuer = process.env.VCP_E2E_IDP;
    if (issuer) await expect(this.page).toHaveURL((url) => url.origin === issuer);
    await expect(this.heading).toBeVisible();
  }

  async choose(email: string) {
    await this.person(email).click();
  }
}
