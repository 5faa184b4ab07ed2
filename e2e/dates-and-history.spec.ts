import { expect, test } from "./fixtures/a11y";
import { signInAs } from "./fixtures/auth";
import { createPrisma } from "../lib/db/client";
import { AuditPage } from "./pages/admin-pages";
import { ClusterPage } from "./pages/cluster-page";
import { HomePage } from "./pages/home-page";
import { TeamPage } from "./pages/team-page";

// Times read in the person's own locale and time zone, on the server's first render as after hydration; a
// deleted cluster leaves the lists once it is gone and shows under "Recently ended", with who ended it. The
// clusters are rows made in the database (the worker leaves them alone): these pages only read them.

const db = createPrisma(process.env.DATABASE_URL, 2);
const suffix = Math.random().toString(36).slice(2, 6);
const FAR_FUTURE = new Date("2100-01-01T00:00:00Z");
/** A zone 5 h 45 min from UTC, so no other zone's rendering passes for it; and a locale unlike en-US. */
const LOCALE = "de-DE";
const ZONE = "Asia/Kathmandu";
const inZone = (iso: string) => new Intl.DateTimeFormat(LOCALE, { dateStyle: "medium", timeStyle: "short", timeZone: ZONE }).format(new Date(iso));

test.afterAll(async () => {
  await db.virtualCluster.updateMany({ where: { name: { startsWith: "dates-" }, phase: { notIn: ["DELETED", "REJECTED", "EXPIRED"] } }, data: { phase: "DELETED", desiredState: "DELETED", deletedAt: new Date() } });
  await db.$disconnect();
});

/** A payments cluster of `ownerEmail` straight in the database, in `phase`, with timeline events. */
async function clusterRow(name: string, ownerEmail: string, phase: "PENDING_APPROVAL" | "DELETED", events: { type: string; message: string; actorEmail?: string }[]) {
  const owner = await db.user.findUniqueOrThrow({ where: { email: ownerEmail } });
  const team = await db.team.findUniqueOrThrow({ where: { slug: "payments" } });
  const version = await db.templateVersion.findFirstOrThrow({ where: { template: { slug: "team-dev" } }, orderBy: { version: "desc" } });
  const c = await db.virtualCluster.create({
    data: { name, teamId: team.id, ownerId: owner.id, templateVersionId: version.id, cpuMillicores: 100, memoryMiB: 128, phase, nextReconcileAt: FAR_FUTURE, ...(phase === "DELETED" ? { desiredState: "DELETED", deletedAt: new Date() } : {}) },
  });
  for (const e of events) {
    const actor = e.actorEmail ? await db.user.findUniqueOrThrow({ where: { email: e.actorEmail } }) : null;
    await db.clusterEvent.create({ data: { clusterId: c.id, type: e.type, message: e.message, actorId: actor?.id ?? null } });
  }
  return c.id;
}

test.describe("in the person's locale and time zone", () => {
  test.use({ locale: LOCALE, timezoneId: ZONE });

  test("the audit log and a cluster's page show times in the browser's zone, server-rendered alike", async ({ page }) => {
    await signInAs(page, "admin@example.com");
    const audit = new AuditPage(page);
    await audit.goto();
    await expect(audit.table.getByRole("columnheader", { name: "Time", exact: true })).toBeVisible();
    const first = audit.table.locator("tbody time").first();
    const iso = (await first.getAttribute("datetime"))!;
    await expect(first).toHaveText(inZone(iso));
    // The actor by name; the e-mail stays on hover.
    await expect(audit.table.locator("tbody tr").first().getByRole("link", { name: /Ada Admin|The portal/ }).first()).toBeVisible();

    // The browser told the server its zone (a cookie): the server's own HTML, before any script runs, says the same.
    const html = await (await page.request.get("/admin/audit", { headers: { "accept-language": LOCALE } })).text();
    expect(html).toMatch(new RegExp(`<time[^>]*datetime="${iso.replace(/\./g, "\\.")}"[^>]*>${inZone(iso).replace(/\./g, "\\.")}</time>`, "i"));

    const lifetimeEnded = "2026-12-01T14:05:00.000Z";
    const id = await clusterRow(`dates-zone-${suffix}`, "admin@example.com", "PENDING_APPROVAL", [
      { type: "requested", message: "Requested by admin@example.com from Team dev v1", actorEmail: "admin@example.com" },
      { type: "expiring", message: `Lifetime ended (${lifetimeEnded}): deleting the cluster` },
    ]);
    const cluster = new ClusterPage(page);
    await cluster.goto(id);
    await expect(cluster.timeline).toContainText("Requested by Ada Admin from Team dev v1");
    await expect(cluster.timeline.getByTitle("admin@example.com")).toHaveText("Ada Admin");
    await expect(cluster.timeline).toContainText("Lifetime ended (01.12.2026, 19:50): deleting the cluster");
    const requested = cluster.timeline.locator("li[data-event-type=requested] time").last();
    await expect(requested).toHaveAttribute("title", inZone((await requested.getAttribute("datetime"))!));
  });
});

test("a deleted cluster leaves the lists once gone; Recently ended shows when and by whom", async ({ page }) => {
  const name = `dates-gone-${suffix}`;
  await clusterRow(name, "dev.payments@example.com", "DELETED", [
    { type: "requested", message: "Requested by dev.payments@example.com from Team dev v1", actorEmail: "dev.payments@example.com" },
    { type: "delete-requested", message: "dev.payments@example.com deleted the cluster", actorEmail: "dev.payments@example.com" },
  ]);
  await signInAs(page, "dev.payments@example.com");
  const home = new HomePage(page);
  await home.goto();
  await expect(home.clusterRow(name)).toHaveCount(0);

  await home.myClusters.getByRole("link", { name: "Recently ended (7 days)" }).click();
  await expect(page).toHaveURL(/\?view=history$/);
  const row = home.myClusters.getByTestId("ended-cluster-row").filter({ hasText: name });
  await expect(row).toContainText("Deleted by Dana Developer");
  await expect(row).toContainText("Team dev");
  await expect(home.myClusters.getByRole("link", { name: "Recently ended (7 days)" })).toHaveAttribute("aria-current", "page");
  await page.goto("/?view=history"); // the history view is checked for accessibility too

  // Its page says where it went.
  await row.click();
  const cluster = new ClusterPage(page);
  await cluster.waitForPhase("Deleted", 15_000);
  await expect(page.getByText("it is no longer in the lists of clusters")).toBeVisible();

  const team = new TeamPage(page);
  await team.goto("payments");
  await expect(team.owners.getByText(name)).toHaveCount(0);
  await page.getByRole("link", { name: "Recently ended (7 days)" }).click();
  await expect(page.getByTestId("ended-cluster-row").filter({ hasText: name })).toContainText("Deleted by Dana Developer");
  await page.getByRole("link", { name: "Live", exact: true }).click();
  await expect(team.owners.or(page.getByText("No live clusters"))).toBeVisible();
  await team.goto("payments?view=history"); // the history view is checked for accessibility too
  await expect(page.getByTestId("ended-cluster-row").filter({ hasText: name })).toBeVisible();
});
