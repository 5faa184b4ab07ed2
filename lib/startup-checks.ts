// A production start (web: instrumentation.ts, worker: scripts/worker.ts) refuses to run with what would
// fail later or quietly weaken security — a missing or guessable secret, an OpenID Connect issuer nobody can
// reach, a database behind this build's migrations — and says so in one line (docs/operations.md#start-up-checks).
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { createPrisma } from "@/lib/db/client";
import { shippedMigrations } from "@/lib/db/shipped-migrations";
import { ConfigError, type Env } from "@/lib/env";
import type { Logger } from "@/lib/log";

export class StartupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StartupError";
  }
}

export type Service = "web" | "worker";

// Template values people paste from examples; long enough to pass the length rule, useless as secrets.
const PLACEHOLDER = /changeme|change-me|change_me|password|example|replace|default|secret|dummy|insecure/i;
const MIN_DISTINCT_CHARACTERS = 10;
const MIN_DISTINCT_KEY_BYTES = 16;

/** Why AUTH_SECRET / PORTAL_ENCRYPTION_KEY are guessable (lengths are checked by lib/env.ts already). */
export function secretProblems(e: Pick<Env, "AUTH_SECRET" | "PORTAL_ENCRYPTION_KEY">): string[] {
  const problems: string[] = [];
  const make = "make one with: openssl rand -base64 32";
  if (e.AUTH_SECRET !== undefined) {
    const distinct = new Set(e.AUTH_SECRET).size;
    if (PLACEHOLDER.test(e.AUTH_SECRET)) problems.push(`AUTH_SECRET looks like a placeholder, not a random secret: ${make}`);
    else if (distinct < MIN_DISTINCT_CHARACTERS) problems.push(`AUTH_SECRET is too weak (only ${distinct} different characters): ${make}`);
  }
  if (e.PORTAL_ENCRYPTION_KEY !== undefined) {
    const distinct = new Set(Buffer.from(e.PORTAL_ENCRYPTION_KEY, "base64")).size;
    if (distinct < MIN_DISTINCT_KEY_BYTES) problems.push(`PORTAL_ENCRYPTION_KEY is too weak (its 32 bytes hold only ${distinct} different values, not random): ${make}`);
  }
  return problems;
}

function networkReason(e: unknown): string {
  if (e instanceof Error && (e.name === "TimeoutError" || e.name === "AbortError")) return "no answer in time";
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (e instanceof Error ? e.message : String(e));
}

/**
 * Fetches the issuer's discovery document as Auth.js will on the first sign-in. A few attempts, so a provider
 * that restarts at the same moment does not stop the portal; undefined when it answers with its own issuer.
 */
export async function oidcIssuerProblem(issuer: string, opts: { attempts?: number; timeoutMs?: number; retryDelayMs?: number } = {}): Promise<string | undefined> {
  const { attempts = 3, timeoutMs = 5_000, retryDelayMs = 2_000 } = opts;
  const url = `${issuer.replace(/\/+$/, "")}/.well-known/openid-configuration`;
  let problem = "";
  for (let attempt = 1; attempt <= attempts; attempt++) {
    if (attempt > 1) await new Promise((r) => setTimeout(r, retryDelayMs));
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: "error" });
      if (!res.ok) {
        problem = `AUTH_OIDC_ISSUER ${issuer} is not an OpenID Connect issuer: ${url} answered HTTP ${res.status}`;
        continue;
      }
      const doc = (await res.json().catch(() => undefined)) as { issuer?: unknown } | undefined;
      if (typeof doc?.issuer !== "string") return `AUTH_OIDC_ISSUER ${issuer} is not an OpenID Connect issuer: ${url} is not a discovery document`;
      // Auth.js compares the two exactly (a trailing slash matters); sign-in would fail on every attempt.
      if (doc.issuer !== issuer) return `AUTH_OIDC_ISSUER ${issuer} does not match the issuer its provider names, ${doc.issuer}: set AUTH_OIDC_ISSUER to exactly that`;
      return undefined;
    } catch (e) {
      problem = `AUTH_OIDC_ISSUER ${issuer} is unreachable (${networkReason(e)} from ${url} after ${attempt} attempt${attempt > 1 ? "s" : ""})`;
    }
  }
  return problem;
}

export type MigrationState = { state: "current" } | { state: "behind"; problem: string } | { state: "unreachable"; reason: string };

/** Whether every migration this build ships (prisma/migrations next to it) has been applied. */
export async function migrationState(prisma: PrismaClient, shipped: string[]): Promise<MigrationState> {
  const howToFix = "run the migrate command first (the image's `migrate`, or `npm run db:migrate` in a checkout; docs/install.md#upgrade)";
  if (shipped.length === 0) return { state: "behind", problem: `no migrations found in ${process.cwd()}/prisma/migrations: this build cannot tell whether the database fits it` };
  let applied: Set<string>;
  try {
    const rows = await prisma.$queryRaw<{ migration_name: string }[]>`
      SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`;
    applied = new Set(rows.map((r) => r.migration_name));
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (!/_prisma_migrations.*does not exist/i.test(message)) return { state: "unreachable", reason: message.trim().split("\n").pop() ?? message };
    applied = new Set();
  }
  const pending = shipped.filter((m) => !applied.has(m));
  if (pending.length === 0) return { state: "current" };
  const which = pending.length === 1 ? pending[0] : `${pending.length} of ${shipped.length}, first ${pending[0]}`;
  return { state: "behind", problem: `the database is behind this version's migrations (not applied: ${which}): ${howToFix}` };
}

/**
 * The production start-up checks (nothing outside NODE_ENV=production). Throws StartupError with the first
 * problem found. An unreachable database is only logged: /api/readyz and the worker's retries cover outages.
 */
export async function runStartupChecks(opts: { service: Service; env: Env; log: Logger; prisma?: PrismaClient }): Promise<void> {
  const { env, service, log } = opts;
  if (env.NODE_ENV !== "production") return;
  const secrets = secretProblems(env);
  if (secrets.length > 0) throw new StartupError(secrets.join("; "));
  // Only the web signs people in; the worker keeps reconciling while the identity provider is down.
  if (service === "web" && env.AUTH_OIDC_ISSUER) {
    const problem = await oidcIssuerProblem(env.AUTH_OIDC_ISSUER);
    if (problem) throw new StartupError(problem);
  }
  const prisma = opts.prisma ?? createPrisma(env.DATABASE_URL, 1);
  try {
    const migrations = await migrationState(prisma, shippedMigrations());
    if (migrations.state === "behind") throw new StartupError(migrations.problem);
    if (migrations.state === "unreachable") log.warn({ reason: migrations.reason }, "database unreachable at start-up: migrations not checked; starting anyway");
  } finally {
    if (!opts.prisma) await prisma.$disconnect();
  }
}

/** The one line printed before exiting, or undefined for an error that is not about the configuration. */
export function startupFailureLine(service: Service, e: unknown): string | undefined {
  if (e instanceof ConfigError) return `vcluster-portal ${service}: cannot start: ${e.problems.join("; ")} (see the configuration table in README.md)`;
  if (e instanceof StartupError) return `vcluster-portal ${service}: cannot start: ${e.message}`;
  return undefined;
}
