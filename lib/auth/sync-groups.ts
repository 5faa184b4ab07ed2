// Maps an IdP's groups claim onto the portal's admin flag and team memberships (README: Security).
//
//   "vcluster-portal-admins"  → User.isAdmin (AUTH_OIDC_ADMIN_GROUP)
//   "team:payments"           → MEMBER of the existing team with slug "payments" (AUTH_OIDC_TEAM_PREFIX)
//   "team:payments:lead"      → LEAD of it
//
// The sync runs on every OIDC sign-in. It only ever touches memberships it created itself
// (source "idp"): memberships an admin added by hand (source "manual") are neither changed nor removed.
// Unknown team slugs are ignored and logged; teams are never created from a claim.
import type { Db } from "@/lib/db/client";
import { revokeLapsedCredentials } from "@/lib/domain/revoke-lapsed-credentials";
import { log as rootLog, type Logger } from "@/lib/log";

export type TeamRoleName = "MEMBER" | "LEAD";

export type GroupMappingConfig = {
  adminGroup: string;
  teamPrefix: string;
};

export type GroupGrants = {
  isAdmin: boolean;
  /** slug → role; a slug granted both as member and lead is LEAD. Sorted by slug. */
  teams: { slug: string; role: TeamRoleName }[];
  /** Groups that start with the team prefix but cannot be parsed (e.g. "team:", "team:a:owner"). */
  malformed: string[];
};

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * Reads the groups claim from the claims object. `claim` may be a dotted path for nested claims
 * (e.g. Keycloak's "realm_access.roles"). Returns undefined when the claim is absent; a single
 * string is treated as a one-element list; non-string entries are dropped.
 */
export function readGroupsClaim(claims: Record<string, unknown> | null | undefined, claim: string): string[] | undefined {
  if (!claims) return undefined;
  let value: unknown = claims[claim];
  if (value === undefined && claim.includes(".")) {
    value = claim.split(".").reduce<unknown>((node, key) => (node && typeof node === "object" ? (node as Record<string, unknown>)[key] : undefined), claims);
  }
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === "string");
  return undefined;
}

/** Keycloak sends full group paths ("/team:payments") by default: a leading slash is ignored. */
function normalizeGroup(group: string): string {
  const trimmed = group.trim();
  return trimmed.startsWith("/") ? trimmed.slice(1) : trimmed;
}

/** Pure mapping from a list of IdP groups to what they grant. */
export function mapGroups(groups: readonly string[], config: GroupMappingConfig): GroupGrants {
  const adminGroup = normalizeGroup(config.adminGroup);
  const prefix = config.teamPrefix;
  const roles = new Map<string, TeamRoleName>();
  const malformed: string[] = [];
  let isAdmin = false;

  for (const raw of groups) {
    const group = normalizeGroup(raw);
    if (group === "") continue;
    if (group === adminGroup) {
      isAdmin = true;
      continue;
    }
    if (!prefix || !group.startsWith(prefix)) continue;

    const rest = group.slice(prefix.length);
    const parts = rest.split(":");
    const slug = (parts[0] ?? "").toLowerCase();
    let role: TeamRoleName | undefined;
    if (parts.length === 1) role = "MEMBER";
    else if (parts.length === 2 && parts[1]!.toLowerCase() === "lead") role = "LEAD";

    if (!role || !SLUG.test(slug)) {
      malformed.push(raw);
      continue;
    }
    if (roles.get(slug) !== "LEAD") roles.set(slug, role);
  }

  const teams = [...roles.entries()].map(([slug, role]) => ({ slug, role })).sort((a, b) => a.slug.localeCompare(b.slug));
  return { isAdmin, teams, malformed };
}

export type SyncResult = {
  isAdmin: boolean;
  /** Memberships as the claim grants them, for existing teams. */
  granted: { teamId: string; slug: string; role: TeamRoleName }[];
  added: string[];
  roleChanged: string[];
  removed: string[];
  /** Slugs from the claim with no such team in the portal. */
  unknownTeams: string[];
  /** Teams the claim grants where a manual membership exists: left as the admin set it. */
  keptManual: string[];
  malformed: string[];
  /** Clusters whose kubeconfig this person held and may no longer download: their credential is revoked. */
  revokedCredentials: string[];
};

/**
 * Applies the groups claim to one user, in one transaction. Idempotent and safe under concurrent
 * sign-ins of the same user (inserts skip duplicates; updates and deletes are guarded by source).
 * `groups === undefined` (claim absent) is treated as "no groups": access derived from the IdP is
 * revoked rather than kept, and a warning is logged because it usually means a misconfigured claim.
 */
export async function syncGroups(
  prisma: Db,
  userId: string,
  groups: readonly string[] | undefined,
  config: GroupMappingConfig,
  logger: Logger = rootLog,
): Promise<SyncResult> {
  const log = logger.child({ component: "auth.sync-groups", userId });
  if (groups === undefined) {
    log.warn("the OIDC groups claim is missing from the ID token and userinfo; treating it as no groups (check AUTH_OIDC_GROUPS_CLAIM and the IdP's claim mapping)");
  }
  const grants = mapGroups(groups ?? [], config);
  if (grants.malformed.length > 0) log.warn({ groups: grants.malformed }, "ignoring team groups that do not match <prefix><slug> or <prefix><slug>:lead");

  const result = await prisma.$transaction(async (tx) => {
    const slugs = grants.teams.map((t) => t.slug);
    const teams = slugs.length ? await tx.team.findMany({ where: { slug: { in: slugs } }, select: { id: true, slug: true } }) : [];
    const idBySlug = new Map(teams.map((t) => [t.slug, t.id]));
    const granted = grants.teams.flatMap((t) => {
      const teamId = idBySlug.get(t.slug);
      return teamId ? [{ teamId, slug: t.slug, role: t.role }] : [];
    });
    const unknownTeams = grants.teams.filter((t) => !idBySlug.has(t.slug)).map((t) => t.slug);

    const before = await tx.membership.findMany({
      where: { userId },
      select: { teamId: true, role: true, source: true, team: { select: { slug: true } } },
    });
    const beforeByTeam = new Map(before.map((m) => [m.teamId, m]));
    const grantedIds = granted.map((g) => g.teamId);

    const user = await tx.user.findUniqueOrThrow({ where: { id: userId }, select: { email: true, isAdmin: true } });
    if (user.isAdmin !== grants.isAdmin) await tx.user.update({ where: { id: userId }, data: { isAdmin: grants.isAdmin } });

    // 1. Revoke what the IdP granted before and no longer grants.
    await tx.membership.deleteMany({ where: { userId, source: "idp", teamId: { notIn: grantedIds } } });

    // 2. Insert new grants; an existing (manual or idp) membership for the team wins the conflict.
    if (granted.length) {
      await tx.membership.createMany({
        data: granted.map((g) => ({ userId, teamId: g.teamId, role: g.role, source: "idp" })),
        skipDuplicates: true,
      });
    }

    // 3. Bring the role of idp memberships in line with the claim (never touches manual ones).
    for (const role of ["MEMBER", "LEAD"] as const) {
      const ids = granted.filter((g) => g.role === role).map((g) => g.teamId);
      if (ids.length) {
        await tx.membership.updateMany({ where: { userId, source: "idp", teamId: { in: ids }, role: { not: role } }, data: { role } });
      }
    }

    const added: string[] = [];
    const roleChanged: string[] = [];
    const keptManual: string[] = [];
    for (const g of granted) {
      const prev = beforeByTeam.get(g.teamId);
      if (!prev) added.push(g.slug);
      else if (prev.source !== "idp") keptManual.push(g.slug);
      else if (prev.role !== g.role) roleChanged.push(g.slug);
    }
    const removed = before.filter((m) => m.source === "idp" && !grantedIds.includes(m.teamId)).map((m) => m.team.slug);

    const adminChanged = user.isAdmin !== grants.isAdmin;
    // Leaving a team (or the admins) ends the kubeconfigs held for its clusters too, recorded in this transaction;
    // the credential revocation sweep deletes them in the virtual clusters (lib/domain/revoke-lapsed-credentials.ts).
    const lapsed = removed.length || (user.isAdmin && !grants.isAdmin) ? await revokeLapsedCredentials(tx, userId, "IdP groups synchronised at sign-in") : [];
    if (adminChanged || added.length || roleChanged.length || removed.length) {
      // Who may do what changed because of the IdP: keep a trace next to the other audit events.
      await tx.auditEvent.create({
        data: {
          actorId: userId,
          actorEmail: user.email,
          action: "auth.idp_groups_synced",
          targetType: "user",
          targetId: userId,
          details: {
            isAdmin: { before: user.isAdmin, after: grants.isAdmin },
            added: granted.filter((g) => added.includes(g.slug)).map((g) => ({ team: g.slug, role: g.role })),
            roleChanged: granted.filter((g) => roleChanged.includes(g.slug)).map((g) => ({ team: g.slug, role: g.role })),
            removed,
          },
        },
      });
    }

    return { isAdmin: grants.isAdmin, granted, added, roleChanged, removed, unknownTeams, keptManual, malformed: grants.malformed, revokedCredentials: lapsed.map((l) => l.clusterName) };
  });

  if (result.unknownTeams.length) log.warn({ teams: result.unknownTeams }, "ignoring groups for teams that do not exist in the portal");
  log.info(
    { isAdmin: result.isAdmin, added: result.added, roleChanged: result.roleChanged, removed: result.removed, keptManual: result.keptManual, revokedCredentials: result.revokedCredentials },
    "synchronised IdP groups",
  );
  return result;
}
