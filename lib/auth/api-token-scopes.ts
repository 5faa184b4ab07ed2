// What a personal API token may do on /api/v1 (docs/api.md "Scopes"). Each route declares the one scope it
// needs where it is defined (lib/server/api-route.ts `v1Route`); this module is the rule, pure and shared
// by the server, the use cases and the UI. The database holds the same list in a trigger
// (prisma/migrations/*_api_token_scopes_backfill).
import { z } from "zod";
import { AppError } from "@/lib/errors";

export const API_TOKEN_SCOPES = ["read", "write"] as const;
export type ApiTokenScope = (typeof API_TOKEN_SCOPES)[number];

/** The scope a token gets when none is named (the safer one). */
export const DEFAULT_API_TOKEN_SCOPES: readonly ApiTokenScope[] = ["read"];

export const SCOPE_DESCRIPTIONS: Record<ApiTokenScope, string> = {
  read: "list and inspect clusters",
  write: "also request, delete, sleep and wake clusters and download their kubeconfigs",
};

/** What a scope lets through besides itself: a write token also reads. */
const IMPLIES: Record<ApiTokenScope, readonly ApiTokenScope[]> = { read: [], write: ["read"] };

/**
 * The stored form of a set of scopes: known ones only, with what they imply, deduplicated, in a fixed
 * order (`["read"]` or `["read", "write"]`).
 */
export function normalizeScopes(scopes: readonly ApiTokenScope[]): ApiTokenScope[] {
  const all = new Set<ApiTokenScope>();
  for (const s of scopes) {
    all.add(s);
    for (const implied of IMPLIES[s]) all.add(implied);
  }
  return API_TOKEN_SCOPES.filter((s) => all.has(s));
}

/**
 * Scopes as a person or a script gives them: an array (repeated form fields) or one comma-separated
 * string (`read,write`), blanks ignored. At least one, only known ones; the result is normalized.
 */
export const ZApiTokenScopes = z.preprocess(
  (v) => {
    const list = v === undefined || v === null ? [] : Array.isArray(v) ? v : [v];
    return list
      .flatMap((x) => (typeof x === "string" ? x.split(",") : [x]))
      .map((x) => (typeof x === "string" ? x.trim().toLowerCase() : x))
      .filter((x) => x !== "");
  },
  z
    .array(z.enum(API_TOKEN_SCOPES, { error: (i) => `Unknown scope "${String(i.input)}": use ${API_TOKEN_SCOPES.join(" or ")}` }))
    .min(1, "Choose at least one scope: read or write")
    .transform(normalizeScopes),
);

/** Whether a token holding `granted` may call a route that needs `required`. Unknown stored values grant nothing. */
export function hasScope(granted: readonly string[], required: ApiTokenScope): boolean {
  return granted.some((g) => g === required || (isScope(g) && IMPLIES[g].includes(required)));
}

/** A known scope name (own keys only: "constructor" and friends are not scopes). */
export function isScope(s: string): s is ApiTokenScope {
  return (API_TOKEN_SCOPES as readonly string[]).includes(s);
}

/** The 403 of a token without the route's scope: names the scope and says how to get it. */
export function missingScopeError(required: ApiTokenScope, granted: readonly string[], route?: { method: string; path: string }): AppError {
  const what = route ? `${route.method.toUpperCase()} ${route.path}` : "this request";
  const has = granted.length ? granted.join(", ") : "none";
  return new AppError(
    "FORBIDDEN",
    `This API token lacks the "${required}" scope required for ${what} (it has: ${has}). Create a token with the "${required}" scope on the Settings → API tokens page or with npm run token:create -- --scopes ${normalizeScopes([required]).join(",")}.`,
  );
}

/** Throws the 403 of `missingScopeError` unless `granted` covers `required`. */
export function requireScope(granted: readonly string[], required: ApiTokenScope, route?: { method: string; path: string }): void {
  if (!hasScope(granted, required)) throw missingScopeError(required, granted, route);
}
