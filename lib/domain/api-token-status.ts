// A personal API token's state as people see it: one rule for the Settings page, the admin list and its
// filter (authentication itself is lib/auth/api-token.ts, which refuses revoked and expired tokens).

export const API_TOKEN_STATUSES = ["active", "expired", "revoked"] as const;
export type ApiTokenStatus = (typeof API_TOKEN_STATUSES)[number];

export const API_TOKEN_STATUS_LABELS: Record<ApiTokenStatus, string> = { active: "Active", expired: "Expired", revoked: "Revoked" };

/** Revoked wins over expired: revocation is what someone did about it. */
export function apiTokenStatus(t: { revokedAt: Date | null; expiresAt: Date | null }, now: Date = new Date()): ApiTokenStatus {
  if (t.revokedAt) return "revoked";
  if (t.expiresAt && t.expiresAt.getTime() <= now.getTime()) return "expired";
  return "active";
}

/** Prisma `where` of the tokens in a status at `now` (for the admin filter). */
export function apiTokenStatusWhere(status: ApiTokenStatus, now: Date = new Date()) {
  switch (status) {
    case "revoked":
      return { revokedAt: { not: null } };
    case "expired":
      return { revokedAt: null, expiresAt: { lte: now } };
    case "active":
      return { revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] };
  }
}
