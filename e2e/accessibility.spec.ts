import { expect, type Page, test } from "@playwright/test";
import { expectAccessible, horizontalOverflow, PHONE } from "./fixtures/a11y";
import { signInAs } from "./fixtures/auth";
import { ApprovalsPage } from "./pages/approvals-page";
import { ClusterPage } from "./pages/cluster-page";
import { HomePage } from "./pages/home-page";
import { RequestPage } from "./pages/request-page";
import { SignInPage } from "./pages/sign-in-page";

// Every page of the three personas, signed out and not found, checked by axe-core in light, in dark and at
// a phone's width (e2e/fixtures/a11y.ts), and what a phone needs: a navigation menu, commands and tables that
// scroll inside their own box, every button on screen. The admin's Sandbox (team Platform, which no other
// spec uses) gives the cluster pages something to show; the test deletes it at its end.

/** Opens `path`, waits for its one h1 and checks it in every mode. */
async function visit(page: Page, path: string, heading?: string | RegExp) {
  await page.goto(path);
  const h1 = page.getByRole("heading", { level: 1 });
  await expect(h1).toBeVisible();
  if (heading) await expect(h1).toHaveText(heading);
  await expectAccessible(page);
}

test("signed out: the sign-in page and a page that does not exist", async ({ page }) => {
  await visit(page, "/signin", /sign in/i);
  // The local identity provider's page (npm start and these tests sign in through it).
  await new SignInPage(page).continueToProvider();
  await expectAccessible(page);
  await visit(page, "/no-such-page", "Page not found");
  await expect(page.getByRole("main")).toBeVisible();
});

test("a developer's pages: home, the request form, API tokens, the API docs, not found", async ({ page }) => {
  await signInAs(page, "dev.payments@example.com");
  await visit(page, "/");
  await visit(page, "/request/sandbox", /Request a/);
  await visit(page, "/settings/tokens");
  await visit(page, "/api-docs");
  await visit(page, "/clusters/no-such-cluster", /not found$/);
  await visit(page, "/teams/no-such-team", /not found$/);
  await visit(page, "/admin/approvals", "Page not found");
});

test("a team lead's pages: the team page with its usage chart as a table", async ({ page }) => {
  await signInAs(page, "lead.payments@example.com");
  await visit(page, "/teams/payments", "Payments");
  // The chart is a picture only (nothing in it takes focus); its numbers are a table a keyboard opens.
  await page.getByText(/^Show the numbers/).focus();
  await page.keyboard.press("Enter");
  const data = page.getByRole("table", { name: /usage over/i });
  await expect(data).toBeVisible();
  expect(await data.getByRole("row").count()).toBeGreaterThan(1);
});

test("an admin's pages: a cluster, approvals, templates, teams, hosts, audit log, all clusters, tokens", async ({ page }) => {
  test.setTimeout(480_000);
  await signInAs(page, "admin@example.com");
  const home = new HomePage(page);
  await home.goto();
  const clusterId = await home.createFromTemplate("Sandbox");
  const cluster = new ClusterPage(page);
  await expectAccessible(page); // while it is provisioned
  await cluster.waitForPhase("Ready", 180_000);
  await visit(page, `/clusters/${clusterId}`);

  // At a phone's width the page fits: the long commands scroll inside their own box, a keyboard too.
  const desktop = page.viewportSize()!;
  await page.setViewportSize(PHONE);
  const exportLine = page.locator("code").filter({ hasText: /^export KUBECONFIG=/ });
  await expect(exportLine).toBeVisible();
  expect(await horizontalOverflow(page)).toBe(0);
  expect(await exportLine.evaluate((el) => el.scrollWidth > el.clientWidth && getComputedStyle(el).overflowX === "auto")).toBe(true);
  await exportLine.focus();
  await page.keyboard.press("ArrowRight");
  await expect.poll(() => exportLine.evaluate((el) => el.scrollLeft)).toBeGreaterThan(0);
  await page.setViewportSize(desktop);

  // A request waiting for approval, so the queue has a row (and its reject dialog) to check; rejected below.
  const form = new RequestPage(page);
  await visit(page, "/request/team-dev", /Request a/);
  await form.name.fill("a11y-check");
  await form.submit.click();
  await page.waitForURL(/\/clusters\/[^/]+$/);
  await expectAccessible(page); // a cluster waiting for approval

  await visit(page, "/");
  for (const [path, heading] of [
    ["/admin/approvals", "Approvals"],
    ["/admin/templates", "Templates"],
    ["/admin/templates/sandbox", "Sandbox"],
    ["/admin/teams", "Teams"],
    ["/admin/hosts", "Host clusters"],
    ["/admin/audit", "Audit log"],
    ["/admin/clusters", "All clusters"],
    ["/admin/tokens", /tokens/i],
    ["/admin/no-such-page", "Page not found"],
  ] as const) {
    await visit(page, path, heading);
  }

  const approvals = new ApprovalsPage(page);
  await approvals.goto();
  await page.getByRole("button", { name: "Reject a11y-check" }).click();
  await expect(approvals.dialog).toBeVisible();
  await expectAccessible(page, ["light", "dark"]);
  await approvals.dialog.getByLabel(/^Reason/).fill("Only an accessibility check.");
  await approvals.dialog.getByRole("button", { name: /^Reject$/ }).click();
  await expect(approvals.dialog).toBeHidden();

  // Team Platform's quota back as it was for the other specs.
  await cluster.goto(clusterId);
  const name = await cluster.clusterName();
  await page.getByRole("button", { name: "Delete" }).click();
  const confirm = page.getByRole("dialog");
  await confirm.getByLabel(/to confirm/).fill(name);
  await expectAccessible(page, ["light", "dark"]); // the dialog
  await confirm.getByRole("button", { name: "Delete cluster" }).click();
  await cluster.waitForPhase("Deleted", 150_000);
});

/** Contrast between a focused element's outline and the background it is drawn on (the nearest ancestor with one). */
async function focusRingContrast(page: Page, name: string): Promise<number> {
  const target = page.getByRole("button", { name }).or(page.getByRole("link", { name })).first();
  await target.focus();
  // Colours transition (the theme switch, the ring itself): measure the end state, not a frame on the way.
  // Only transitions: pulsing badges animate for ever.
  await page.evaluate(() => Promise.all(document.getAnimations().filter((a) => a instanceof CSSTransition).map((a) => a.finished.catch(() => undefined))));
  return target.evaluate((el) => {
    if (!el.matches(":focus-visible")) throw new Error("no focus ring: the element is not :focus-visible");
    const rgb = (color: string) => {
      const ctx = Object.assign(document.createElement("canvas"), { width: 1, height: 1 }).getContext("2d")!;
      ctx.fillStyle = color;
      ctx.fillRect(0, 0, 1, 1);
      return [...ctx.getImageData(0, 0, 1, 1).data];
    };
    const luminance = ([r, g, b]: number[]) =>
      [r!, g!, b!].map((v) => (v / 255 <= 0.03928 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4)).reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i]!, 0);
    let behind = el.parentElement;
    while (behind && rgb(getComputedStyle(behind).backgroundColor)[3] === 0) behind = behind.parentElement;
    const ring = luminance(rgb(getComputedStyle(el).outlineColor));
    const page = luminance(rgb(behind ? getComputedStyle(behind).backgroundColor : "white"));
    return (Math.max(ring, page) + 0.05) / (Math.min(ring, page) + 0.05);
  });
}

test("focus rings stand out from the page (≥ 3:1) on primary and secondary buttons, in light and dark", async ({ page }) => {
  await signInAs(page, "dev.payments@example.com");
  await page.goto("/");
  for (const dark of [false, true]) {
    await page.evaluate((on) => document.documentElement.classList.toggle("dark", on), dark);
    for (const name of ["Create a Sandbox cluster", "Customize a Sandbox cluster"]) {
      expect(await focusRingContrast(page, name), `${name} (${dark ? "dark" : "light"})`).toBeGreaterThanOrEqual(3);
    }
  }
});

test.describe("at a phone's width", () => {
  test.use({ viewport: PHONE });

  test("the navigation folds into a menu that opens and closes with the keyboard", async ({ page }) => {
    await signInAs(page, "admin@example.com");
    await page.goto("/");
    const nav = page.getByRole("navigation", { name: "Main" });
    const menu = page.getByRole("button", { name: "Menu" });
    await expect(menu).toHaveAttribute("aria-expanded", "false");
    await expect(nav.getByRole("link", { name: "Audit log" })).toBeHidden();

    await menu.focus();
    await page.keyboard.press("Enter");
    await expect(menu).toHaveAttribute("aria-expanded", "true");
    for (const name of ["My clusters", "Approvals", "All clusters", "Templates", "Teams", "Hosts", "Tokens", "Audit log"]) {
      await expect(nav.getByRole("link", { name, exact: true })).toBeInViewport();
    }
    await expectAccessible(page, ["light", "dark"]);
    await page.keyboard.press("Tab");
    await expect(nav.getByRole("link", { name: "My clusters" })).toBeFocused();
    await page.keyboard.press("Escape");
    await expect(menu).toHaveAttribute("aria-expanded", "false");
    await expect(menu).toBeFocused();
    await expect(nav.getByRole("link", { name: "Audit log" })).toBeHidden();

    // Following a link closes the menu on the page it opens.
    await menu.click();
    await nav.getByRole("link", { name: "Hosts" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Host clusters" })).toBeVisible();
    await expect(menu).toHaveAttribute("aria-expanded", "false");
  });

  test("tables fit the screen and every row's actions can be reached", async ({ page }) => {
    await signInAs(page, "admin@example.com");
    for (const path of ["/admin/teams", "/admin/clusters", "/admin/audit", "/admin/hosts", "/admin/tokens"]) {
      await page.goto(path);
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      expect(await horizontalOverflow(page), `${path} is wider than the screen`).toBe(0);
    }
    await page.goto("/admin/teams");
    const edit = page.getByRole("button", { name: /Edit quota/ }).first();
    await edit.scrollIntoViewIfNeeded();
    await expect(edit).toBeInViewport({ ratio: 1 });
  });

  test("the theme toggle is a labelled switch that says which theme is on", async ({ page }) => {
    await signInAs(page, "dev.payments@example.com");
    await page.goto("/");
    const toggle = page.getByRole("switch", { name: "Dark mode" });
    const before = await toggle.getAttribute("aria-checked");
    await toggle.click();
    await expect(toggle).toHaveAttribute("aria-checked", before === "true" ? "false" : "true");
    await expect(page.locator("html")).toHaveClass(before === "true" ? /^(?!.*\bdark\b)/ : /\bdark\b/);
    // The saved choice is applied before first paint by the server's inline script, which hydrates cleanly.
    const errors: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    page.on("pageerror", (e) => errors.push(e.message));
    await page.reload();
    await expect(page.getByRole("switch", { name: "Dark mode" })).toHaveAttribute("aria-checked", before === "true" ? "false" : "true");
    expect(errors.filter((e) => /script tag|hydrat|#418|#423|#425/i.test(e))).toEqual([]);
  });
});
