// The one permission table: server code checks it before acting, the UI reads it to hide what a person may not do.

export type TeamRoleName = "MEMBER" | "LEAD";

export type Actor = {
  id: string;
  isAdmin: boolean;
  memberships: { teamId: string; role: TeamRoleName }[];
};

export type ClusterRef = { teamId: string; ownerId: string };

/** A personal API token, by whose it is. */
export type TokenRef = { userId: string };

type Target = { teamId?: string; cluster?: ClusterRef; token?: TokenRef };

export type Action =
  | "cluster.request"
  | "cluster.view"
  | "cluster.kubeconfig"
  | "cluster.operate"
  | "cluster.access.view"
  | "cluster.access.revoke"
  | "team.view"
  | "team.manage"
  | "approval.decide"
  | "template.manage"
  | "host.manage"
  | "audit.view"
  | "admin.area"
  | "cluster.listAll"
  | "token.manage-own"
  | "token.manage-any";

const roleOf = (actor: Actor, teamId: string) => actor.memberships.find((m) => m.teamId === teamId)?.role;

type Rule = (actor: Actor, target: Target) => boolean;

const adminOnly: Rule = (a) => a.isAdmin;
const memberOfTeam: Rule = (a, t) => a.isAdmin || (t.teamId !== undefined && roleOf(a, t.teamId) !== undefined);
const memberOfClusterTeam: Rule = (a, t) => a.isAdmin || (t.cluster !== undefined && roleOf(a, t.cluster.teamId) !== undefined);

const table: Record<Action, Rule> = {
  // Requesting needs membership; admins request on behalf of a team only when they belong to it.
  "cluster.request": (a, t) => t.teamId !== undefined && roleOf(a, t.teamId) !== undefined,
  "cluster.view": memberOfClusterTeam,
  "cluster.kubeconfig": memberOfClusterTeam,
  // Owners run their own clusters; a team lead may act on any of the team's clusters.
  "cluster.operate": (a, t) =>
    a.isAdmin || (t.cluster !== undefined && (t.cluster.ownerId === a.id || roleOf(a, t.cluster.teamId) === "LEAD")),
  // Who holds credentials for a cluster: its owner, the team's leads, admins. Revoking someone's: leads and admins.
  "cluster.access.view": (a, t) =>
    a.isAdmin || (t.cluster !== undefined && (t.cluster.ownerId === a.id || roleOf(a, t.cluster.teamId) === "LEAD")),
  "cluster.access.revoke": (a, t) => a.isAdmin || (t.cluster !== undefined && roleOf(a, t.cluster.teamId) === "LEAD"),
  "team.view": memberOfTeam,
  "team.manage": adminOnly,
  "approval.decide": adminOnly,
  "template.manage": adminOnly,
  "host.manage": adminOnly,
  "audit.view": adminOnly,
  // The admin pages as a whole (their layout); each page and use case checks its own action too.
  "admin.area": adminOnly,
  "cluster.listAll": adminOnly,
  // Everyone creates, lists and revokes their own API tokens (admins too: nobody creates one for someone
  // else in the portal; operators do with npm run token:create). Without a token, whether the page shows.
  "token.manage-own": (a, t) => t.token === undefined || t.token.userId === a.id,
  // Admins list and revoke anyone's (not create: a token acts as its owner).
  "token.manage-any": adminOnly,
};

export function can(actor: Actor, action: Action, target: Target = {}): boolean {
  return table[action](actor, target);
}

/** Team scoping for Prisma `where`: a forgotten check returns nothing rather than someone else's data. */
export function visibleTeamIds(actor: Actor): string[] | "all" {
  return actor.isAdmin ? "all" : actor.memberships.map((m) => m.teamId);
}

export function clusterScope(actor: Actor): { teamId?: { in: string[] } } {
  const ids = visibleTeamIds(actor);
  return ids === "all" ? {} : { teamId: { in: ids } };
}
