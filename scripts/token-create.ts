/**
 * npm run token:create -- --email dev.payments@example.com [--name ci] [--days 30] [--scopes read,write] [--quiet] [--url http://localhost:3000]
 *
 * Issues a personal API token for /api/v1 and prints it once (only its sha256 is stored). Uses DATABASE_URL,
 * or else the embedded database of a running `npm start` (.data/postgres). Runs as the system actor: an
 * operator with database access issues tokens for anyone (in the portal, people create only their own).
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";

const USAGE = `Usage: npm run token:create -- --email <user e-mail> [--name <label>] [--days <n>] [--scopes read|read,write] [--quiet] [--url <portal url>]

  --email   the person the token acts as (must exist: signed in once, or seeded)
  --name    a label for the token, e.g. ci (default: default)
  --days    days until it expires, 1 to API_TOKEN_MAX_DAYS (default: 90, or the maximum if lower;
            the maximum is 90 unless API_TOKEN_MAX_DAYS says otherwise)
  --scopes  what the token may do, comma-separated (default: read, the safer choice):
              read   list and inspect clusters (GET)
              write  also request, delete, sleep and wake clusters and download kubeconfigs (implies read)
  --quiet   print only the token (one line), e.g. TOKEN=$(npm run -s token:create -- --email … --quiet)
  --url     the portal's address for the example curl line (default: AUTH_URL or http://localhost:3000)

Example: npm run token:create -- --email dev.payments@example.com --name ci --days 30 --scopes read,write`;

function fail(message: string, usage = false): never {
  console.error(`token:create: ${message}`);
  if (usage) console.error(`\n${USAGE}`);
  process.exit(usage ? 2 : 1);
}

let values: { email?: string; name?: string; days?: string; scopes?: string; quiet?: boolean; url?: string; help?: boolean };
try {
  ({ values } = parseArgs({
    options: {
      email: { type: "string" },
      name: { type: "string" },
      days: { type: "string" },
      scopes: { type: "string" },
      quiet: { type: "boolean", short: "q" },
      url: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    allowPositionals: false,
    strict: true,
  }));
} catch (e) {
  fail((e as Error).message, true);
}
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
if (!values.email) fail("--email is required.", true);
if (values.days !== undefined && !/^\d+$/.test(values.days)) fail(`--days must be a whole number of days, not "${values.days}".`, true);

// The embedded default (npm start) writes its port into postmaster.pid (4th line).
if (!process.env.DATABASE_URL) {
  const pid = path.resolve(import.meta.dirname, "..", ".data", "postgres", "postmaster.pid");
  const port = existsSync(pid) ? readFileSync(pid, "utf8").split("\n")[3]?.trim() : undefined;
  if (!port) fail("DATABASE_URL is not set and no embedded database is running. Start the portal (npm start) or set DATABASE_URL.");
  process.env.DATABASE_URL = `postgres://portal:portal@127.0.0.1:${port}/portal`;
  // The embedded database belongs to `npm start`: use the encryption key it generated (.data/secrets.json).
  // Nothing here encrypts; lib/env.ts only needs a key outside NODE_ENV=development.
  const secrets = path.resolve(import.meta.dirname, "..", ".data", "secrets.json");
  const key = existsSync(secrets) ? (JSON.parse(readFileSync(secrets, "utf8")) as { PORTAL_ENCRYPTION_KEY?: string }).PORTAL_ENCRYPTION_KEY : undefined;
  if (key) process.env.PORTAL_ENCRYPTION_KEY ??= key;
  else (process.env as Record<string, string | undefined>).NODE_ENV ??= "development";
}

const { createPrisma } = await import("@/lib/db/client");
const { createApiToken } = await import("@/lib/domain/create-api-token");
const { SYSTEM_ACTOR } = await import("@/lib/domain/context");
const { isAppError } = await import("@/lib/errors");

const db = createPrisma(process.env.DATABASE_URL, 1);
try {
  const t = await createApiToken(
    { db, actor: { ...SYSTEM_ACTOR, memberships: [] } },
    { email: values.email, name: values.name ?? "default", expiresInDays: values.days === undefined ? undefined : Number(values.days), scopes: values.scopes },
  );
  const base = (values.url || process.env.AUTH_URL || "http://localhost:3000").replace(/\/+$/, "");
  if (values.quiet) console.log(t.token);
  else
    console.log(`API token "${t.name}" for ${t.userEmail} (id ${t.id}), scopes ${t.scopes.join(",")}, expires ${t.expiresAt.toISOString()}.
Copy it now: it is shown only once.

  ${t.token}

Try it:

  curl -H "Authorization: Bearer ${t.token}" ${base}/api/v1/clusters
`);
} catch (e) {
  if (isAppError(e)) {
    const flag = (field: string) => {
      const k = field.split(".")[0]!; // scopes.1 → scopes
      return k === "expiresInDays" ? "days" : k;
    };
    const fields = Object.entries(e.fieldErrors ?? {}).map(([k, v]) => `  --${flag(k)}: ${v.join("; ")}`);
    fail([e.message, ...fields].join("\n"), e.code === "VALIDATION");
  }
  fail(`could not create the token: ${(e as Error).message}`);
} finally {
  await db.$disconnect();
}
