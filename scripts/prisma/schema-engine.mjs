// A drop-in replacement for Prisma's native `schema-engine` binary, for machines without network access.
//
// The Prisma CLI spawns the engine (PRISMA_SCHEMA_ENGINE_BINARY) and talks to it in one of two ways:
//   1. `schema-engine --datamodels <file>… --datasource <json>`: line-delimited JSON-RPC 2.0 on
//      stdin/stdout, JSON log lines on stderr. We forward every request to `SchemaEngine` from
//      `@prisma/schema-engine-wasm` (the same engine, compiled to WebAssembly), which reaches
//      PostgreSQL through `@prisma/adapter-pg`.
//   2. `schema-engine --datasource <json> cli can-connect-to-database|create-database|drop-database`:
//      one-shot sub-commands, answered with `pg` directly. On failure the CLI parses stderr as JSON
//      lines but drops the first line, so we always print a harmless first line.
//   `schema-engine --version` prints the engine's commit hash like the native binary.
//
// Work-arounds for @prisma/adapter-pg as used by the schema engine (schema-engine-adapter.mjs; docs/migrations.md lists them):
//   - catalog columns of type "char" (and a few other internal types) are reported as text;
//   - executeScript sends the whole script as one simple query (one implicit transaction, `$$` bodies
//     intact) instead of splitting on `;` across pool connections;
//   - the shadow database is reached through a URL with its name in the path (adapter-pg passes
//     `database` next to `connectionString`, and pg lets the string win: it used the main database),
//     and it is dropped only after its pool is closed;
//   - `?schema=` becomes the connection's search_path.
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { format } from "node:util";
import { createRequire } from "node:module";
import * as wasmBindings from "@prisma/schema-engine-wasm/schema_engine_bg";
import pg from "pg";
import { forgetFailedScript, lastFailedScript, PgMigrationFactory } from "./schema-engine-adapter.mjs";
import { connectionError, createDatabase, dropDatabase, pgSettings } from "./schema-engine-postgres.mjs";

// The error-capturing wrapper from the very copy of driver-adapter-utils that adapter-pg uses (it is
// not one of our direct dependencies).
const { bindMigrationAwareSqlAdapterFactory } = createRequire(import.meta.resolve("@prisma/adapter-pg"))("@prisma/driver-adapter-utils");

// stdout carries the protocol only: route stray console output to stderr.
for (const level of ["log", "info", "debug", "warn"]) {
  console[level] = (...args) => process.stderr.write(format(...args) + "\n");
}

const log = (level, message, extra = {}) =>
  process.stderr.write(
    JSON.stringify({
      timestamp: new Date().toISOString(),
      level,
      fields: { message, ...extra },
      target: level === "ERROR" ? "schema_engine::logger" : "schema_engine_shim",
    }) + "\n",
  );

// ─────────────────────────────── arguments ───────────────────────────────

function parseArgs(argv) {
  const out = { datamodels: [], datasource: undefined, cli: undefined, version: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--version" || a === "-V") out.version = true;
    else if (a === "--datamodels") out.datamodels.push(argv[++i]);
    else if (a === "--datasource") out.datasource = JSON.parse(argv[++i]);
    else if (a === "--enabled-preview-features" || a === "--extension-types") i++;
    else if (a === "cli") out.cli = argv[++i];
  }
  return out;
}

// ─────────────────────────────── the wasm engine ───────────────────────────────

function loadWasm() {
  const wasmUrl = new URL("schema_engine_bg.wasm", import.meta.resolve("@prisma/schema-engine-wasm/schema_engine_bg"));
  const wasmModule = new WebAssembly.Module(readFileSync(wasmUrl));
  const instance = new WebAssembly.Instance(wasmModule, { "./schema_engine_bg.js": wasmBindings });
  wasmBindings.__wbg_set_wasm(instance.exports);
  instance.exports.__wbindgen_start();
  return wasmBindings;
}

const isPanic = (e) => e instanceof WebAssembly.RuntimeError || e?.name === "RuntimeError";

// ─────────────────────────────── mode 1: cli sub-commands ───────────────────────────────

async function runCliCommand(command, datasource) {
  const url = datasource?.url;
  log("INFO", `schema-engine shim: cli ${command}`); // the CLI drops the first stderr line
  try {
    if (command === "can-connect-to-database") {
      const client = new pg.Client(pgSettings(url).config);
      try {
        await client.connect();
        await client.query("SELECT 1");
      } finally {
        await client.end().catch(() => {});
      }
      process.stdout.write("Connection successful\n");
    } else if (command === "create-database") {
      process.stdout.write(`Database '${await createDatabase(url)}' was successfully created.\n`);
    } else if (command === "drop-database") {
      await dropDatabase(url);
      process.stdout.write("The database was successfully dropped.\n");
    } else {
      throw new Error(`unknown cli command: ${command}`);
    }
    return 0;
  } catch (e) {
    const { error_code, message } = e.code?.startsWith?.("P") ? { error_code: e.code, message: e.message } : connectionError(e, url);
    log("ERROR", message, { error_code });
    return 1;
  }
}

// ─────────────────────────────── mode 2: JSON-RPC server ───────────────────────────────

// The native engine reports a failing migration script as P3018 (the CLI and docs key on it); the wasm
// engine only says "external connector error", so rebuild Prisma's message from the PostgreSQL error.
function migrationFailed(migrationName, pgError) {
  const databaseError = [`ERROR: ${pgError.message}`, pgError.detail && `DETAIL: ${pgError.detail}`, pgError.hint && `HINT: ${pgError.hint}`, pgError.where && `CONTEXT: ${pgError.where}`]
    .filter(Boolean)
    .join("\n");
  return {
    error_code: "P3018",
    message:
      "A migration failed to apply. New migrations cannot be applied before the error is recovered from. Read more about how to resolve migration issues in a production database: https://pris.ly/d/migrate-resolve\n\n" +
      `Migration name: ${migrationName}\n\nDatabase error code: ${pgError.code}\n\nDatabase error:\n${databaseError}\n`,
    meta: { migration_name: migrationName, database_error_code: pgError.code, database_error: databaseError },
  };
}

// RPC method names that differ from the wasm engine's method names.
const RENAMED = { getDatabaseVersion: "version" };

function runRpcServer({ datamodels, datasource }) {
  const write = (msg) => process.stdout.write(JSON.stringify(msg) + "\n");
  const factory = bindMigrationAwareSqlAdapterFactory(new PgMigrationFactory(datasource));
  let enginePromise;
  const engine = () =>
    (enginePromise ??= (async () => {
      const { SchemaEngine } = loadWasm();
      const files = datamodels.map((p) => [p, readFileSync(p, "utf8")]);
      const onLog = (line) => {
        if (process.env.PRISMA_SHIM_DEBUG) process.stderr.write(String(line).trimEnd() + "\n");
      };
      return SchemaEngine.new({ datamodels: files.length ? files : undefined }, onLog, factory);
    })());

  // Requests the engine sends to the CLI ("print"), awaiting the CLI's acknowledgement.
  let nextOwnId = 1_000_000_000;
  const pendingAcks = new Map();
  const printToCli = (content) =>
    new Promise((resolve) => {
      const id = nextOwnId++;
      pendingAcks.set(id, resolve);
      write({ jsonrpc: "2.0", id, method: "print", params: { content } });
    });

  const toRpcError = (e) => {
    // Errors thrown by our JS side reach us from wasm as "External error id#N" (see driver-adapter-utils).
    const id = /External error id#(\d+)/.exec(String(e?.message))?.[1];
    const registered = id === undefined ? undefined : factory.errorRegistry.consumeError(Number(id))?.error;
    const err = registered ?? e;
    if (isPanic(e)) {
      return { code: 4466, message: "An error happened. Check the data field for details.", data: { is_panic: true, message: String(e?.message ?? e), backtrace: e?.stack } };
    }
    const data = { is_panic: false, message: String(err?.message ?? err), meta: err?.meta ?? null };
    if (typeof err?.code === "string" && /^P\d{4}$/.test(err.code)) data.error_code = err.code;
    const failedMigration = /apply_script\s+with migration_name="([^"]+)"/.exec(data.message)?.[1];
    if (failedMigration && lastFailedScript()) Object.assign(data, migrationFailed(failedMigration, lastFailedScript()));
    return { code: 4466, message: "An error happened. Check the data field for details.", data };
  };

  async function handle(req) {
    const { id, method, params } = req;
    forgetFailedScript();
    try {
      let result;
      if (method === "createDatabase") {
        const url = params?.datasource?.tag === "ConnectionString" ? params.datasource.url : datasource?.url;
        result = { databaseName: await createDatabase(url) };
      } else if (method === "diff") {
        const { stdout, ...rest } = await (await engine()).diff(params);
        if (stdout) await printToCli(stdout);
        result = rest;
      } else {
        const name = RENAMED[method] ?? method;
        const e = await engine();
        if (typeof e[name] !== "function") throw new Error(`Method ${method} is not supported by the wasm schema engine.`);
        result = await e[name](params ?? {}); // call on the instance: wasm-bindgen needs `this`
      }
      write({ jsonrpc: "2.0", id, result: result ?? null });
    } catch (e) {
      write({ jsonrpc: "2.0", id, error: toRpcError(e) });
      if (isPanic(e)) setImmediate(() => process.exit(101)); // the wasm instance is unusable now
    }
  }

  const inflight = new Set();
  const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
  rl.on("line", (line) => {
    if (!line.trim()) return;
    let msg;
    try {
      msg = JSON.parse(line);
    } catch {
      log("WARN", `ignoring a line that is not JSON: ${line.slice(0, 200)}`);
      return;
    }
    if (msg.method === undefined) {
      pendingAcks.get(msg.id)?.(msg);
      pendingAcks.delete(msg.id);
      return;
    }
    const p = handle(msg).finally(() => inflight.delete(p));
    inflight.add(p);
  });
  rl.on("close", async () => {
    await Promise.allSettled(inflight);
    process.exit(0);
  });
}

// ─────────────────────────────── main ───────────────────────────────

const args = parseArgs(process.argv.slice(2));
if (args.version) {
  process.stdout.write(`schema-engine-cli ${loadWasm().version()}\n`);
} else if (args.cli) {
  process.exitCode = await runCliCommand(args.cli, args.datasource);
} else {
  runRpcServer(args);
}
