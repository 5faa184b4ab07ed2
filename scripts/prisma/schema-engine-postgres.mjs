// PostgreSQL connection settings of the schema-engine shim (scripts/prisma/schema-engine.mjs, docs/migrations.md):
// Prisma-style URLs turned into node-postgres settings, databases created and dropped, and node-postgres
// errors mapped to Prisma's connection error codes.
import pg from "pg";

// Prisma-specific URL parameters that node-postgres does not understand.
const PRISMA_PARAMS = ["schema", "connection_limit", "pool_timeout", "socket_timeout", "pgbouncer", "statement_cache_size", "connect_timeout"];

export const quoteIdent = (name) => `"${name.replaceAll('"', '""')}"`;

/** node-postgres settings for a Prisma-style URL; `database` overrides the URL's database. */
export function pgSettings(url, database) {
  if (!url) throw Object.assign(new Error("No datasource url: set DATABASE_URL (see prisma.config.ts)."), { code: "P1012" });
  const u = new URL(url);
  const schema = u.searchParams.get("schema") || undefined;
  const connectTimeout = Number(u.searchParams.get("connect_timeout") ?? 5);
  for (const p of PRISMA_PARAMS) u.searchParams.delete(p);
  if (database !== undefined) u.pathname = "/" + encodeURIComponent(database);
  const config = { connectionString: u.toString(), max: 4 };
  if (connectTimeout > 0) config.connectionTimeoutMillis = connectTimeout * 1000;
  // search_path for every pooled connection (a `SET` would reach only one of them).
  if (schema) config.options = `-c search_path=${quoteIdent(schema).replace(/[\s\\]/g, "\\$&")}`;
  const host = u.searchParams.get("host") || u.hostname || "localhost";
  return {
    config,
    schema,
    database: decodeURIComponent(u.pathname.slice(1)) || decodeURIComponent(u.username) || "postgres",
    location: `${host}:${u.port || 5432}`,
  };
}

/** Runs `fn` with a client on `url`'s server: its own database if it exists, else a maintenance one. */
export async function withServerClient(url, fn) {
  let lastError;
  for (const database of [undefined, "postgres", "template1"]) {
    const client = new pg.Client(pgSettings(url, database).config);
    try {
      await client.connect();
    } catch (e) {
      lastError = e;
      await client.end().catch(() => {});
      if (e.code === "3D000") continue; // database does not exist: try a maintenance database
      throw e;
    }
    try {
      return await fn(client);
    } finally {
      await client.end().catch(() => {});
    }
  }
  throw lastError;
}

export async function createDatabase(url) {
  const { database } = pgSettings(url);
  await withServerClient(url, async (c) => {
    try {
      await c.query(`CREATE DATABASE ${quoteIdent(database)}`);
    } catch (e) {
      if (e.code !== "42P04") throw e; // already exists
    }
  });
  return database;
}

export async function dropDatabase(url, database = pgSettings(url).database) {
  await withServerClient(pgSettings(url, "postgres").config.connectionString, async (c) => {
    try {
      await c.query(`DROP DATABASE IF EXISTS ${quoteIdent(database)} WITH (FORCE)`); // PostgreSQL ≥ 13
    } catch (e) {
      if (e.code !== "42601") throw e;
      await c.query(`DROP DATABASE IF EXISTS ${quoteIdent(database)}`);
    }
  });
}

/** Maps a node-postgres error to Prisma's connection error codes (P1xxx). */
export function connectionError(e, url) {
  const { database, location } = pgSettings(url);
  if (e.code === "3D000") return { error_code: "P1003", message: `Database \`${database}\` does not exist on the database server at \`${location}\`.` };
  if (e.code === "28P01" || e.code === "28000")
    return { error_code: "P1000", message: `Authentication failed against database server at \`${location}\`, the provided database credentials are not valid.` };
  if (["ECONNREFUSED", "ENOTFOUND", "EHOSTUNREACH", "ECONNRESET", "ENOENT"].includes(e.code) || /timeout/i.test(e.message))
    return { error_code: "P1001", message: `Can't reach database server at \`${location}\`\n\nPlease make sure your database server is running at \`${location}\`.` };
  return { error_code: "P1000", message: e.message };
}
