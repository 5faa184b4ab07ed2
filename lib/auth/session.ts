// The signed-in person, read fresh from the database on every request: the JWT only says *who*; what
// they may do (admin flag, memberships) comes from Postgres, so changes apply at once and a deleted
// user's still-valid cookie yields no user.
import { cache } from "react";
import { auth } from "@/lib/auth/config";
import { db, type DbTx } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import type { TeamRoleName } from "@/lib/authz/permissions";

export type CurrentUserMembership = {
  teamId: string;
  teamSlug: string;
  teamName: string;
  role: TeamRoleName;
};

export type CurrentUser = {
  id: string;
  email: string;
  name: string | null;
  isAdmin: boolean;
  memberships: CurrentUserMembership[];
};

/** Alias used by the app shell. */
export type SessionUser = CurrentUser;

/** Loads a user with memberships (ordered by team slug); null if the user no longer exists. */
export async function loadCurrentUser(prisma: DbTx, userId: string): Promise<CurrentUser | null> {
  const user = await prisma.user.findUnique({
    where: { id: userId },
    select: {
      id: true,
      email: true,
      name: true,
      isAdmin: true,
      memberships: {
        select: { teamId: true, role: true, team: { select: { slug: true, name: true } } },
        orderBy: { team: { slug: "asc" } },
      },
    },
  });
  if (!user) return null;
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    isAdmin: user.isAdmin,
    memberships: user.memberships.map((m) => ({ teamId: m.teamId, teamSlug: m.team.slug, teamName: m.team.name, role: m.role })),
  };
}

/** The signed-in user, or null when signed out (or the session's user was deleted). Deduplicated per request. */
export const getCurrentUser = cache(async (): Promise<CurrentUser | null> => {
  const session = await auth();
  const userId = session?.user?.id;
  if (!userId) return null;
  return loadCurrentUser(db(), userId);
});

/** The signed-in user; throws AppError UNAUTHENTICATED when there is none. */
export async function requireUser(): Promise<CurrentUser> {
  const user = await getCurrentUser();
  if (!user) throw new AppError("UNAUTHENTICATED", "Please sign in to continue.");
  return user;
}
