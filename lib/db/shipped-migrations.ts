import { readdirSync } from "node:fs";
import path from "node:path";

/** Names of the migrations in prisma/migrations that this build ships. */
export function shippedMigrations(root = process.cwd()): string[] {
  try {
    return readdirSync(path.join(root, "prisma", "migrations"), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort();
  } catch {
    return [];
  }
}
