// Prisma CLI configuration (Prisma 7 reads the datasource url from here, not from schema.prisma).
import { fileURLToPath } from "node:url";
import { existsSync } from "node:fs";
import { defineConfig } from "prisma/config";

// Like Next.js, honour a local .env for CLI runs; variables already set in the environment win.
if (existsSync(".env")) process.loadEnvFile(".env");

// The CLI would download a native schema engine at run time, which fails offline. Our shim speaks the
// same protocol and runs the engine's WebAssembly build instead (docs/migrations.md). `??=` keeps an
// explicit override (e.g. a real native binary) possible.
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= fileURLToPath(new URL("./scripts/prisma/schema-engine", import.meta.url));

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: {
    path: "prisma/migrations",
    seed: "tsx prisma/seed.ts",
  },
  datasource: {
    // Optional so that `prisma generate` (postinstall) works without a database.
    url: process.env.DATABASE_URL,
    shadowDatabaseUrl: process.env.SHADOW_DATABASE_URL,
  },
});
