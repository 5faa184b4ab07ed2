// The users offered by the development sign-in page: everyone in the database, ordered by e-mail.
import type { DbTx } from "@/lib/db/client";
import type { TeamRoleName } from "@/lib/authz/permissions";

export type DevSignInUser = {
  email: string;
  name: string | null;
  isAdmin: boolean;
  teams: { slug: string; name: string; role: TeamRoleName }[];
};

/** At most `limit` users: a development database is small; a large one means the list is the wrong tool. */
export async function listDevSignInUsers(prisma: DbTx, limit = 50): Promise<DevSignInUser[]> {
  const users = await prisma.user.findMany({
    orderBy: { email: "asc" },
    take: limit,
    select: {
      email: true,
      name: true,
      isAdmin: true,
      memberships: { select: { role: true, team: { select: { slug: true, name: true } } }, orderBy: { team: { slug: "asc" } } },
    },
  });
  return users.map((u) => ({
    email: u.email,
    name: u.name,
    isAdmin: u.isAdmin,
    teams: u.memberships.map((m) => ({ slug: m.team.slug, name: m.team.name, role: m.role })),
  }));
}

/** "Admin · Payments (lead) · Search" — the subtitle under a user's button. */
export function describeDevUser(user: DevSignInUser): string {
  const parts: string[] = [];
  if (user.name) parts.push(user.name);
  if (user.isAdmin) parts.push("Admin");
  for (const t of user.teams) parts.push(t.role === "LEAD" ? `${t.name} (lead)` : t.name);
  if (!user.isAdmin && user.teams.length === 0) parts.push("No team");
  return parts.join(" · ");
}
