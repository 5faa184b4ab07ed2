/**
 * npm run token:create -- --email dev.payments@example.com [--name ci] [--days 30] [--url http://localhost:3000]
 *
 * Issues a personal API token for /api/v1 and prints it once (only its sha256 is stored). Uses DATABASE_URL,
 * or else the embedded database of a running `npm start` (.data/postgres).
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";

const USAGE = `Usage: npm run token:create -- --email <user e-mail> [--name <label>] [--days <1-365>] [--url <portal url>]

  --email   the person the token acts as (must exist: signed in once, or seeded)
  --name    a label for the token, e.g. ci (default: default)
  --days    days until it expires, 1 to 365 (default: 90)
  --url     the portal's address for the example curl line (default: AUTH_URL or http://localhost:3000)

Example: npm run token:create -- --email dev.payments@example.com --name ci --days 30`;

function fail(message: string, usage = false): never {
  console.error(`token:create: ${message}`);
  if (usage) console.error(`\n${USAGE}`);
  process.exit(usage ? 2 : 1);
}

let values: { email?: string; name?: string; days?: string; url?: string; help?: boolean };
try {
  ({ values } = parseArgs({
    options: { email: { type: "string" }, name: { type: "string" }, days: { type: "string" }, url: { type: "string" }, help: { type: "boolean", short: "h" } },
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
if (values.days !== undefined && !/^\d+$/.test(values.days)) fail(`--days must be a whole number of days (1-365), not "${values.days}".`, true);

// The embedded default (npm start) writes its port into postmaster.pid (4th line).
if (!process.env.DATABASE_URL) {
  const pid = path.resolve(import.meta.dirname, "..", ".data", "postgres", "postmaster.pid");
  const port = existsSync(pid) ? readFileSync(pid, "utf8").split("\n")[3]?.trim() : undefined;
  if (!port) fail("DATABASE_URL is not set and no embedded database is running. Start the portal (npm start) or set DATABASE_URL.");
  process.env.DATABASE_URL = `postgres://portal:portal@127.0.0.1:${port}/portal`;
}

const { createPrisma } = await import("@/lib/db/client");
const { createApiToken } = await import("@/lib/domain/create-api-token");
const { isAppError } = await import("@/lib/errors");

const db = createPrisma(process.env.DATABASE_URL, 1);
try {
  const t = await createApiToken(db, { email: values.email, name: values.name, expiresInDays: values.days === undefined ? undefined : Number(values.days) });
  const base = (values.url || process.env.AUTH_URL || "http://localhost:3000").replace(/\/+$/, "");
  console.log(`API token "${t.name}" for ${t.userEmail} (id ${t.id}), expires ${t.expiresAt.toISOString()}.
Copy it now: it is shown only once.

  ${t.token}

Try it:

  curl -H "Authorization: Bearer ${t.token}" ${base}/api/v1/clusters
`);
} catch (e) {
  if (isAppError(e)) {
    const fields = Object.entries(e.fieldErrors ?? {}).map(([k, v]) => `  --${k === "expiresInDays" ? "days" : k}: ${v.join("; ")}`);
    fail([e.message, ...fields].join("\n"), e.code === "VALIDATION");
  }
  fail(`could not create the token: ${(e as Error).message}`);
} finally {
  await db.$disconnect();
}
