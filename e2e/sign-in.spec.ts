import { expect, test } from "./fixtures/a11y";
import { HomePage } from "./pages/home-page";
import { SignInPage } from "./pages/sign-in-page";

// The one sign-in path, through the local OpenID Connect provider (the one `npm start` runs): its page lists
// the people with their groups, a person in no team gets in with nothing to request for, a sign-in cancelled
// at the provider says so on the portal's sign-in page, and after signing out another person can sign in.

test("the provider lists the people with their groups; the groups make the team lead a lead", async ({ page }) => {
  const signIn = new SignInPage(page);
  await signIn.goto();
  await signIn.expectShown();
  const idp = await signIn.continueToProvider();
  await expect(idp.people).toHaveText([/admin@example\.com/, /lead\.payments@example\.com/, /dev\.payments@example\.com/, /dev\.search@example\.com/, /new\.hire@example\.com/]);
  await expect(idp.person("admin@example.com")).toHaveAccessibleDescription(/vcluster-portal-admins/);
  await expect(idp.person("lead.payments@example.com")).toHaveAccessibleDescription(/team:payments:lead/);
  await expect(idp.person("new.hire@example.com")).toHaveAccessibleDescription(/no groups/);
  await page.screenshot({ path: "test-results/sign-in-provider.png", fullPage: true });

  await idp.choose("lead.payments@example.com");
  const home = new HomePage(page);
  await expect(home.myClusters).toBeVisible();
  await expect(home.team("Payments")).toContainText("Lead");
  await expect(page.getByTestId("current-user")).toHaveText("lead.payments@example.com");
});

test("a person in no team signs in, is told to ask for a team, and cannot request a cluster", async ({ page }) => {
  const signIn = new SignInPage(page);
  await page.goto("/");
  await signIn.expectShown();
  await signIn.signInAs("new.hire@example.com");

  const home = new HomePage(page);
  await expect(home.myClusters).toBeVisible();
  await expect(page.getByTestId("current-user")).toHaveText("new.hire@example.com");
  await expect(home.teams.getByText("You are not in a team yet")).toBeVisible();
  await expect(home.teams).toContainText("Ask an admin to add you to a team");
  await expect(page.getByRole("button", { name: "Create a Sandbox cluster" })).toBeDisabled();
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(nav.getByRole("link", { name: "Team", exact: true })).toHaveCount(0);
  await expect(nav.getByRole("link", { name: "Approvals" })).toHaveCount(0);
  await page.screenshot({ path: "test-results/sign-in-no-team.png", fullPage: true });

  await page.goto("/teams/payments");
  await expect(page.getByText("Team not found")).toBeVisible();
});

test("a sign-in cancelled at the provider lands on the portal's sign-in page with a clear message", async ({ page }) => {
  const signIn = new SignInPage(page);
  await page.goto("/clusters/does-not-matter");
  await signIn.expectShown();
  const idp = await signIn.continueToProvider();
  await idp.cancel.click();

  await signIn.expectShown();
  await expect(page).toHaveURL(/[?&]code=idp_access_denied/);
  await expect(signIn.alert).toHaveText(
    "The sign-in was cancelled or refused at your identity provider, so you are not signed in. Try again, or ask an administrator if you expected to get in.",
  );
  await expect(signIn.continueButton).toBeEnabled();
  await page.screenshot({ path: "test-results/sign-in-cancelled.png", fullPage: true });

  // Not signed in: the portal still sends them to sign in.
  await page.goto("/");
  await signIn.expectShown();
  await expect(page.getByTestId("current-user")).toHaveCount(0);
});

test("after signing out, the provider asks again, so another person can sign in", async ({ page }) => {
  const signIn = new SignInPage(page);
  await signIn.goto();
  await signIn.signInAs("dev.payments@example.com");
  await expect(page.getByTestId("current-user")).toHaveText("dev.payments@example.com");

  await page.getByRole("button", { name: "Sign out" }).click();
  await signIn.expectShown();
  await signIn.signInAs("dev.search@example.com");
  await expect(page.getByTestId("current-user")).toHaveText("dev.search@example.com");
  await expect(new HomePage(page).team("Search")).toContainText("Member");
});
