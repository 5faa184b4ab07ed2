import { expect, test } from "@playwright/test";
import { signInAs } from "./fixtures/auth";

test("signed out / redirects to /signin; dev sign-in works", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/signin/);
  await signInAs(page, "dev.payments@example.com");
  await page.screenshot({ path: "test-results/smoke-home.png" });
  console.log("landed on", page.url(), await page.title());
});
