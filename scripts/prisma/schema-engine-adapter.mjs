// The driver adapter the wasm schema engine reaches PostgreSQL through (scripts/prisma/schema-engine.mjs,
// docs/migrations.md): @prisma/adapter-pg with the work-arounds listed there, or an offline stand-in.
import { randomUUID } from "node:crypto";
import { PrismaPg } from "@prisma/adapter-pg";
import { createDatabase, dropDatabase, pgSettings, quoteIdent, withServerClient } from "./schema-engine-postgres.mjs";

// OIDs that adapter-pg refuses to decode but that the engine reads from pg_catalog ("char" above all).
const AS_TEXT = new Set([18 /* "char" */, 22 /* int2vector */, 24 /* regproc */, 30 /* oidvector */, 194 /* pg_node_tree */, 1033 /* aclitem */, 2205 /* regclass */, 2206 /* regtype */]);
const TEXT_OID = 25;

let lastScriptError;

/** The PostgreSQL error of the last failed migration script (the wasm engine's own error no longer carries its SQLSTATE). */
export const lastFailedScript = () => lastScriptError;
export const forgetFailedScript = () => {
  lastScriptError = undefined;
};

function patchQueryable(q) {
  const performIO = q.performIO;
  q.performIO = async function (query) {
    const result = await performIO.call(this, query);
    for (const field of result?.fields ?? []) if (AS_TEXT.has(field.dataTypeID)) field.dataTypeID = TEXT_OID;
    return result;
  };
  return q;
}

function patchAdapter(adapter) {
  patchQueryable(adapter);
  const startTransaction = adapter.startTransaction;
  adapter.startTransaction = async function (...args) {
    return patchQueryable(await startTransaction.apply(this, args));
  };
  // One simple-protocol query: PostgreSQL runs a multi-statement script as one implicit transaction
  // (a failing migration leaves nothing behind) and `$$ … ; … $$` bodies stay whole.
  adapter.executeScript = async function (script) {
    try {
      await this.client.query(script);
    } catch (e) {
      lastScriptError = e; // for P3018 (schema-engine.mjs migrationFailed)
      this.onError(e);
    }
  };
  return adapter;
}

// Without a url (e.g. `migrate diff --from-empty --to-schema …`) the engine still wants an adapter. It
// answers the engine's start-up version probe with a nominal PostgreSQL 15 and refuses everything else.
function offlineAdapter() {
  const queryRaw = async ({ sql }) => {
    if (/^SELECT EXISTS\(SELECT 1 FROM pg_namespace WHERE nspname = \$1\), version\(\)/.test(sql)) {
      return { columnNames: ["exists", "version", "numeric_version"], columnTypes: [5, 7, 0], rows: [[true, "PostgreSQL 15.0 (offline)", 150000]] };
    }
    throw new Error("No datasource url: set DATABASE_URL (see prisma.config.ts).");
  };
  return {
    provider: "postgres",
    adapterName: "@prisma/adapter-pg",
    queryRaw,
    executeRaw: queryRaw,
    executeScript: queryRaw,
    startTransaction: queryRaw,
    getConnectionInfo: () => ({ supportsRelationJoins: true }),
    dispose: async () => {},
  };
}

export class PgMigrationFactory {
  provider = "postgres";
  adapterName = "@prisma/adapter-pg";

  constructor(datasource) {
    this.url = datasource?.url;
    this.shadowUrl = datasource?.shadowDatabaseUrl;
  }

  async #open(url, database) {
    const { config, schema } = pgSettings(url, database);
    return patchAdapter(await new PrismaPg(config, schema ? { schema } : undefined).connect());
  }

  connect() {
    return this.url ? this.#open(this.url) : Promise.resolve(offlineAdapter());
  }

  async connectToShadowDb() {
    if (this.shadowUrl) {
      // A configured shadow database is wiped and reused, like the native engine does.
      await dropDatabase(this.shadowUrl);
      await createDatabase(this.shadowUrl);
      return this.#open(this.shadowUrl);
    }
    const name = `prisma_migrate_shadow_db_${randomUUID()}`;
    await withServerClient(this.url, (c) => c.query(`CREATE DATABASE ${quoteIdent(name)}`));
    const adapter = await this.#open(this.url, name);
    const dispose = adapter.dispose.bind(adapter);
    adapter.dispose = async () => {
      try {
        await dispose(); // close the pool first, or DROP DATABASE finds it in use
      } finally {
        await dropDatabase(this.url, name);
      }
    };
    return adapter;
  }
}
