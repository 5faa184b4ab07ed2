// Who may call what: every route handler (app/**/route.ts, per method), every server action ("use server") and
// every page, with what each of five people gets. Data only — lib/authz/permissions.ts and the use cases decide;
// this table says what they must add up to. Two tests hold it to the code (docs/security.md):
//   lib/authz/access-table.test.ts  fails when a route, method, action or page exists that the table does not
//                                   list, or the table lists one that is gone (and keeps docs/security.md in step);
//   e2e/authorization.spec.ts       calls every entry as each person through the production build over HTTP and
//                                   checks the outcome below (API routes also with each person's API token).

/**
 * The five people every entry is tried as (seeded by prisma/seed-data.ts). The target of a cluster-scoped entry
 * is a cluster of team payments that the developer requested.
 *   anonymous  no session, no token
 *   developer  dev.payments@example.com — a member of payments; owns the target cluster
 *   lead       lead.payments@example.com — the lead of payments
 *   admin      admin@example.com — a portal admin; a member (lead) of platform only, not of payments
 *   otherTeam  dev.search@example.com — a member of search: another team
 */
export const PERSONAS = ["anonymous", "developer", "lead", "admin", "otherTeam"] as const;
export type Persona = (typeof PERSONAS)[number];

/**
 * What a person gets. "ok": authorization let them through — the call succeeds, or fails for a reason that is not
 * about who they are (400 invalid input, 409 not ready, 412 wrong phase, 422 over quota); never 401, 403 or 404.
 * 401 | 403 | 404: refused with that status and a message; a server action answers `{ ok: false, code, message }`
 * with the matching code (UNAUTHENTICATED, FORBIDDEN, NOT_FOUND). "signin": a page sends them to /signin.
 */
export const OK = "ok";
export type Outcome = typeof OK | 401 | 403 | 404 | "signin";
export type Outcomes = readonly [anonymous: Outcome, developer: Outcome, lead: Outcome, admin: Outcome, otherTeam: Outcome];

/** Who may, in words (the outcomes are the proof). "admin" always means a portal admin. */
export type Who =
  | "anyone"
  | "signed in"
  | "team members, admin"
  | "owner, team lead, admin"
  | "team lead, admin"
  | "members of the team asked for"
  | "token's owner, admin"
  | "admin"
  | "METRICS_TOKEN holder";

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

type Common = { who: Who; as: Outcomes; note?: string };
export type RouteEntry = Common & { kind: "route"; method: HttpMethod; path: string };
/** `action`: the exported function's name; an inline `"use server"` closure is "(inline)". */
export type ActionEntry = Common & { kind: "action"; file: string; action: string };
export type PageEntry = Common & { kind: "page"; path: string };
export type AccessEntry = RouteEntry | ActionEntry | PageEntry;

// prettier-ignore
export const ACCESS_TABLE: readonly AccessEntry[] = [
  //                                                                                        anonymous developer lead admin otherTeam
  // ── Route handlers ──
  { kind: "route", method: "GET", path: "/api/healthz", who: "anyone", as: [OK, OK, OK, OK, OK] },
  { kind: "route", method: "GET", path: "/api/readyz", who: "anyone", as: [OK, OK, OK, OK, OK] },
  { kind: "route", method: "GET", path: "/api/metrics", who: "METRICS_TOKEN holder", as: [404, 404, 404, 404, 404], note: "404 while METRICS_TOKEN is unset (as in the e2e tier); with it set, anything but `Bearer <METRICS_TOKEN>` gets 401" },
  { kind: "route", method: "GET", path: "/api/auth/[...nextauth]", who: "anyone", as: [OK, OK, OK, OK, OK], note: "Auth.js: session, csrf, providers, the provider's callback" },
  { kind: "route", method: "POST", path: "/api/auth/[...nextauth]", who: "anyone", as: [OK, OK, OK, OK, OK], note: "Auth.js: sign-in and sign-out, guarded by its CSRF token" },
  { kind: "route", method: "GET", path: "/api/openapi.json", who: "anyone", as: [OK, OK, OK, OK, OK], note: "the shape of /api/v1, no data" },
  { kind: "route", method: "GET", path: "/api/v1/clusters", who: "signed in", as: [401, OK, OK, OK, OK], note: "lists only the caller's teams' clusters (all for admins)" },
  { kind: "route", method: "POST", path: "/api/v1/clusters", who: "members of the team asked for", as: [401, OK, OK, 403, 403], note: "asks for a payments cluster; admins request only for teams they belong to" },
  { kind: "route", method: "GET", path: "/api/v1/clusters/[id]", who: "team members, admin", as: [401, OK, OK, OK, 404] },
  { kind: "route", method: "DELETE", path: "/api/v1/clusters/[id]", who: "owner, team lead, admin", as: [401, OK, OK, OK, 404] },
  { kind: "route", method: "POST", path: "/api/v1/clusters/[id]/sleep", who: "owner, team lead, admin", as: [401, OK, OK, OK, 404] },
  { kind: "route", method: "POST", path: "/api/v1/clusters/[id]/wake", who: "owner, team lead, admin", as: [401, OK, OK, OK, 404] },
  { kind: "route", method: "GET", path: "/api/v1/clusters/[id]/kubeconfig", who: "team members, admin", as: [401, OK, OK, OK, 404], note: "a credential: API tokens need the write scope; 403 once a lead or admin revoked the person's access" },

  // ── Server actions ──
  { kind: "action", file: "app/(auth)/signin/actions.ts", action: "ssoSignInAction", who: "anyone", as: [OK, OK, OK, OK, OK] },
  { kind: "action", file: "components/layout/sign-out-button.tsx", action: "(inline)", who: "anyone", as: [OK, OK, OK, OK, OK], note: "signs out whoever calls it" },
  { kind: "action", file: "app/(portal)/request/actions.ts", action: "quickCreateAction", who: "members of the team asked for", as: [401, OK, OK, 403, 403], note: "asks for a payments cluster" },
  { kind: "action", file: "app/(portal)/request/actions.ts", action: "requestClusterAction", who: "members of the team asked for", as: [401, OK, OK, 403, 403], note: "asks for a payments cluster" },
  { kind: "action", file: "app/(portal)/clusters/[id]/actions.ts", action: "sleepClusterAction", who: "owner, team lead, admin", as: [401, OK, OK, OK, 404] },
  { kind: "action", file: "app/(portal)/clusters/[id]/actions.ts", action: "wakeClusterAction", who: "owner, team lead, admin", as: [401, OK, OK, OK, 404] },
  { kind: "action", file: "app/(portal)/clusters/[id]/actions.ts", action: "extendClusterAction", who: "owner, team lead, admin", as: [401, OK, OK, OK, 404] },
  { kind: "action", file: "app/(portal)/clusters/[id]/actions.ts", action: "deleteClusterAction", who: "owner, team lead, admin", as: [401, OK, OK, OK, 404] },
  { kind: "action", file: "app/(portal)/clusters/[id]/actions.ts", action: "retryClusterAction", who: "owner, team lead, admin", as: [401, OK, OK, OK, 404] },
  { kind: "action", file: "app/(portal)/clusters/[id]/actions.ts", action: "revokeClusterAccessAction", who: "team lead, admin", as: [401, 403, OK, OK, 404], note: "revokes the developer's credential" },
  { kind: "action", file: "app/(portal)/settings/tokens/actions.ts", action: "createTokenAction", who: "signed in", as: [401, OK, OK, OK, OK], note: "only for oneself" },
  { kind: "action", file: "app/(portal)/settings/tokens/actions.ts", action: "revokeTokenAction", who: "token's owner, admin", as: [401, OK, 404, OK, 404], note: "revokes a token of the developer; someone else's is not found" },
  { kind: "action", file: "app/(portal)/admin/tokens/actions.ts", action: "revokeAnyTokenAction", who: "admin", as: [401, 404, 404, OK, 404], note: "revokes a token of a sixth person; to anyone else it does not exist" },
  { kind: "action", file: "app/(portal)/admin/approvals/actions.ts", action: "decideApprovalsAction", who: "admin", as: [401, 403, 403, OK, 403] },
  { kind: "action", file: "app/(portal)/admin/hosts/actions.ts", action: "setHostEnabledAction", who: "admin", as: [401, 403, 403, OK, 403] },
  { kind: "action", file: "app/(portal)/admin/hosts/actions.ts", action: "drainHostAction", who: "admin", as: [401, 403, 403, OK, 403] },
  { kind: "action", file: "app/(portal)/admin/hosts/actions.ts", action: "forgetHostAction", who: "admin", as: [401, 403, 403, OK, 403] },
  { kind: "action", file: "app/(portal)/admin/hosts/actions.ts", action: "setHostLicenceAction", who: "admin", as: [401, 403, 403, OK, 403] },
  { kind: "action", file: "app/(portal)/admin/hosts/actions.ts", action: "removeHostLicenceAction", who: "admin", as: [401, 403, 403, OK, 403] },
  { kind: "action", file: "app/(portal)/admin/teams/actions.ts", action: "updateTeamQuotaAction", who: "admin", as: [401, 403, 403, OK, 403] },
  { kind: "action", file: "app/(portal)/admin/templates/actions.ts", action: "createTemplateVersionAction", who: "admin", as: [401, 403, 403, OK, 403] },
  { kind: "action", file: "app/(portal)/admin/templates/actions.ts", action: "deprecateTemplateVersionAction", who: "admin", as: [401, 403, 403, OK, 403] },

  // ── Pages (GET) ──
  { kind: "page", path: "/signin", who: "anyone", as: [OK, OK, OK, OK, OK], note: "signed in: redirected home" },
  { kind: "page", path: "/", who: "signed in", as: ["signin", OK, OK, OK, OK] },
  { kind: "page", path: "/request/[template]", who: "signed in", as: ["signin", OK, OK, OK, OK] },
  { kind: "page", path: "/settings/tokens", who: "signed in", as: ["signin", OK, OK, OK, OK] },
  { kind: "page", path: "/api-docs", who: "signed in", as: ["signin", OK, OK, OK, OK], note: "the REST API's reference" },
  { kind: "page", path: "/clusters/[id]", who: "team members, admin", as: ["signin", OK, OK, OK, 404] },
  { kind: "page", path: "/teams/[slug]", who: "team members, admin", as: ["signin", OK, OK, OK, 404], note: "the page of team payments" },
  { kind: "page", path: "/admin/approvals", who: "admin", as: ["signin", 404, 404, OK, 404], note: "admin pages are not advertised: not found" },
  { kind: "page", path: "/admin/audit", who: "admin", as: ["signin", 404, 404, OK, 404] },
  { kind: "page", path: "/admin/clusters", who: "admin", as: ["signin", 404, 404, OK, 404] },
  { kind: "page", path: "/admin/hosts", who: "admin", as: ["signin", 404, 404, OK, 404] },
  { kind: "page", path: "/admin/teams", who: "admin", as: ["signin", 404, 404, OK, 404] },
  { kind: "page", path: "/admin/templates", who: "admin", as: ["signin", 404, 404, OK, 404] },
  { kind: "page", path: "/admin/templates/[slug]", who: "admin", as: ["signin", 404, 404, OK, 404] },
  { kind: "page", path: "/admin/tokens", who: "admin", as: ["signin", 404, 404, OK, 404] },
];

/** One line per entry, for test names and messages: "GET /api/v1/clusters", "action clusters/[id]/actions.ts#sleepClusterAction". */
export function entryName(e: AccessEntry): string {
  if (e.kind === "route") return `${e.method} ${e.path}`;
  if (e.kind === "page") return `page ${e.path}`;
  return `action ${e.file}#${e.action}`;
}

export function outcomeOf(e: AccessEntry, persona: Persona): Outcome {
  return e.as[PERSONAS.indexOf(persona)]!;
}
