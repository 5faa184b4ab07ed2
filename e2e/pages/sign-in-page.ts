import { expect, type Page } from "@playwright/test";

/** /signin with the development sign-in: one button per seeded user, named by the e-mail. */
export class SignInPage {
  constructor(readonly page: Page) {}

  async expectShown() {
    await expect(this.page).toHaveURL(/\/signin/);
    await expect(this.page.getByRole("heading", { level: 1, name: /sign in/i })).toBeVisible();
  }

  async signInAs(email: string) {
    await this.page.getByRole("button", { name: email, exact: true }).click();
    await this.page.waitForURL((url) => !url.pathname.startsWith("/signin"));
  }
}
