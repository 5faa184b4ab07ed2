import { expect, test } from "./fixtures/a11y";
import { HomePage } from "./pages/home-page";
import { SignInPage } from "./pages/sign-in-page";

// The thread through the whole stack: routing, auth, the database, the home page.
test("open the portal, get sent to sign in, sign in as a developer, land on a page showing their team", async ({ page }) => {
  await page.goto("/");
  const signIn = new SignInPage(page);
  await signIn.expectShown();

  await signIn.signInAs("dev.payments@example.com");
  const home = new HomePage(page);
  await expect(home.myClusters).toBeVisible();
  await expect(home.team("Payments")).toBeVisible();
  await expect(home.team("Payments")).toContainText("Member");
  await expect(page.getByTestId("current-user")).toHaveText("dev.payments@example.com");
  await page.screenshot({ path: "test-results/foundation-home.png", fullPage: true });
});
