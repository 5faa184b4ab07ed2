import { describe, expect, it } from "vitest";
import { mapGroups } from "@/lib/auth/sync-groups";
import { seedUsers } from "@/prisma/seed-data";
import { autoSubmittedForm, peopleOnPage } from "./http-sign-in";
import { groupsFor, localPeople, NO_TEAM_PERSON } from "./people";
import { signInPage } from "./provider";

describe("the local provider's people", () => {
  it("are the seeded people, whose groups map back to exactly their seeded teams and admin flag, plus one person in no team", () => {
    const people = localPeople();
    expect(people.map((p) => p.email)).toEqual([...seedUsers.map((u) => u.email), NO_TEAM_PERSON.email]);
    for (const u of seedUsers) {
      const person = people.find((p) => p.email === u.email)!;
      expect(person).toMatchObject({ sub: `local:${u.email}`, email_verified: true, name: u.name });
      const grants = mapGroups(person.groups!, { adminGroup: "vcluster-portal-admins", teamPrefix: "team:" });
      expect(grants).toEqual({ isAdmin: u.isAdmin, teams: [...u.teams].sort((a, b) => a.slug.localeCompare(b.slug)), malformed: [] });
    }
    expect(people.at(-1)).toMatchObject({ email: "new.hire@example.com", groups: [] });
    expect(seedUsers.map((u) => u.email)).not.toContain(NO_TEAM_PERSON.email); // IdP only: the seed is unchanged
  });

  it("follow a configured admin group and team prefix", () => {
    expect(groupsFor({ isAdmin: true, teams: [{ slug: "payments", role: "LEAD" }, { slug: "search", role: "MEMBER" }] }, { adminGroup: "portal-admins", teamPrefix: "vcp-" })).toEqual([
      "vcp-payments:lead",
      "vcp-search",
      "portal-admins",
    ]);
  });
});

describe("the provider's sign-in page", () => {
  it("offers one button per person (named by the e-mail, described by name and groups) and Cancel, escaping what it shows", () => {
    const html = signInPage({
      uid: "abc123",
      opts: {},
      people: [
        { sub: "local:a@example.com", email: "a@example.com", name: "Ann <script>", groups: ["team:payments:lead", "vcluster-portal-admins"] },
        { sub: 'x"y', email: "b&c@example.com", name: "Bo", groups: [] },
      ],
    });
    expect(html).toContain('<form method="post" action="/interaction/abc123/login" aria-label="People">');
    expect(html).toContain('<form method="post" action="/interaction/abc123/abort">');
    expect(html).toContain(">Cancel</button>");
    expect(html).toContain("Ann &lt;script&gt;");
    expect(html).not.toContain("<script>");
    expect(html).toContain("<code>team:payments:lead</code> <code>vcluster-portal-admins</code>");
    expect(html).toContain("no groups");
    expect([...peopleOnPage(html)]).toEqual([
      ["a@example.com", "local:a@example.com"],
      ["b&c@example.com", 'x"y'],
    ]);
  });
});

describe("autoSubmittedForm", () => {
  it("reads oidc-provider's self-submitting form (what a browser's script posts at once), and nothing else", () => {
    const page = `<!DOCTYPE html>
<html>
<head>
  <title>Submitting Callback</title>
</head>
<body>
  <form method="post" action="http://localhost:4000/session/end/confirm">
    <input type="hidden" name="xsrf" value="a&amp;b"/>
<input type="hidden" name="logout" value="yes"/>
  </form>
</body>
</html>`;
    expect(autoSubmittedForm(page, "http://localhost:4000/auth/x")).toEqual({ action: "http://localhost:4000/session/end/confirm", fields: { xsrf: "a&b", logout: "yes" } });
    expect(autoSubmittedForm(signInPage({ uid: "u", people: [], opts: {} }), "http://localhost:4000/")).toBeUndefined();
  });
});
