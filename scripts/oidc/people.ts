// The people of the local OpenID Connect provider: the seeded people (prisma/seed-data.ts) with the groups a
// company IdP would send for them, so teams and the admin flag reach the portal through the same claim
// mapping as in production (lib/auth/sync-groups.ts), plus one person who exists only at the provider and
// belongs to no team (a new hire on their first day: the portal creates them on their first sign-in).
import { seedUsers } from "../../prisma/seed-data";
import type { OidcAccount } from "./provider";

/** IdP-only: not in the seed, in no team. The portal learns of them when they first sign in. */
export const NO_TEAM_PERSON = { email: "new.hire@example.com", name: "Noor Newhire" } as const;

export type GroupNames = { adminGroup?: string; teamPrefix?: string };

/** Stable subject of a local person (Account.providerAccountId): survives restarts of the provider. */
export const localSubject = (email: string) => `local:${email}`;

/** Groups for team memberships and admin, in the portal's default mapping (AUTH_OIDC_TEAM_PREFIX, AUTH_OIDC_ADMIN_GROUP). */
export function groupsFor(person: { isAdmin: boolean; teams: readonly { slug: string; role: string }[] }, names: GroupNames = {}): string[] {
  const prefix = names.teamPrefix ?? "team:";
  const groups = person.teams.map((t) => (t.role === "LEAD" ? `${prefix}${t.slug}:lead` : `${prefix}${t.slug}`));
  if (person.isAdmin) groups.push(names.adminGroup ?? "vcluster-portal-admins");
  return groups;
}

export function localPeople(names: GroupNames = {}): OidcAccount[] {
  const seeded = seedUsers.map((u) => ({
    sub: localSubject(u.email),
    email: u.email,
    email_verified: true,
    name: u.name,
    groups: groupsFor(u, names),
  }));
  return [...seeded, { sub: localSubject(NO_TEAM_PERSON.email), email: NO_TEAM_PERSON.email, email_verified: true, name: NO_TEAM_PERSON.name, groups: [] }];
}
