// The container image's /app, laid out from a checkout: the Dockerfile's build stage runs
// `npx tsx scripts/image/assemble.ts /out` and copies /out into the runtime stage;
// scripts/image/standalone.int.test.ts assembles the same layout and runs it as the image does. See docs/install.md.
//
//   server.js, .next/, node_modules/   Next.js standalone output (`output: "standalone"`, next.config.mjs)
//   .next/static/, public/             what the standalone server serves but does not copy itself
//   worker.mjs                         scripts/worker.ts bundled with esbuild into one file (no tsx at run time)
//   prisma/, prisma.config.ts,         `prisma migrate deploy` with the offline schema engine shim
//   scripts/prisma/schema-engine*      (docs/migrations.md), plus the CLI's packages in node_modules/
//   entrypoint.sh                      web | worker | migrate
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { build as esbuild } from "esbuild";
import { ensureProductionBuild, type BuildResult } from "../start/build";

/** Packages `prisma migrate deploy` needs at run time: the CLI, and what the schema engine shim imports. */
export const MIGRATE_PACKAGES = ["prisma", "@prisma/schema-engine-wasm", "@prisma/adapter-pg", "pg"];
/** Copied as they are, relative to the checkout and to /app. */
export const MIGRATE_FILES = ["prisma.config.ts", "prisma/schema.prisma", "prisma/migrations", "scripts/prisma/schema-engine", "scripts/prisma/schema-engine.mjs", "scripts/prisma/schema-engine-adapter.mjs", "scripts/prisma/schema-engine-postgres.mjs"];

type LockPackage = { dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> };

/**
 * The node_modules directories (relative paths as in package-lock.json) of `names` and everything they
 * depend on, resolved the way Node does: the nearest node_modules first, then the parents'.
 */
export function packageClosure(root: string, names: string[]): string[] {
  const lock = JSON.parse(readFileSync(path.join(root, "package-lock.json"), "utf8")) as { packages: Record<string, LockPackage> };
  const found = new Set<string>();
  const visit = (name: string, from: string, optional: boolean) => {
    for (let dir = from; ; dir = dir.includes("/node_modules/") ? dir.slice(0, dir.lastIndexOf("/node_modules/")) : "") {
      const candidate = `${dir ? `${dir}/` : ""}node_modules/${name}`;
      const entry = lock.packages[candidate];
      if (entry && existsSync(path.join(root, candidate))) {
        if (found.has(candidate)) return;
        found.add(candidate);
        for (const dep of Object.keys(entry.dependencies ?? {})) visit(dep, candidate, false);
        for (const dep of Object.keys(entry.optionalDependencies ?? {})) visit(dep, candidate, true);
        return;
      }
      if (!dir) break;
    }
    // Optional dependencies for other platforms are in the lock file but not installed.
    if (!optional) throw new Error(`package ${name} (needed from ${from || "the project"}) is not installed: run npm ci`);
  };
  for (const name of names) visit(name, "", false);
  return [...found].sort();
}

/** scripts/worker.ts and everything it imports in one ES module that plain `node` runs. */
export async function bundleWorker(root: string, outfile: string): Promise<void> {
  await esbuild({
    absWorkingDir: root,
    entryPoints: ["scripts/worker.ts"],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node24",
    tsconfig: "tsconfig.json",
    logLevel: "warning",
    // Bundled CommonJS packages call require(); an ES module has none of its own.
    banner: { js: "import { createRequire as __vcpCreateRequire } from 'node:module'; const require = __vcpCreateRequire(import.meta.url);" },
  });
}

export type AssembleResult = { build: BuildResult; outDir: string };

/** Builds (or reuses) the standalone build in `distDir` and lays out the image's /app in `outDir` (emptied first). */
export async function assembleImage(opts: { root: string; distDir: string; outDir: string; log: (line: string) => void }): Promise<AssembleResult> {
  const { root, distDir, outDir } = opts;
  const slug = distDir.replace(/[^a-z0-9]+/gi, "-").replace(/^-|-$/g, "");
  const build = await ensureProductionBuild({
    root,
    distDir,
    stampFile: path.join(root, ".data", `next-build-${slug}.json`),
    logFile: path.join(root, ".data", "logs", `next-build-${slug}.log`),
    log: opts.log,
    env: { ...process.env, VCP_STANDALONE: "1" },
  });
  const standalone = path.join(root, distDir, "standalone");
  if (!existsSync(path.join(standalone, "server.js"))) {
    throw new Error(`${distDir}/standalone/server.js is missing: was ${distDir} built without VCP_STANDALONE=1 (next.config.mjs output)? Delete ${distDir} and run again.`);
  }

  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  cpSync(standalone, outDir, { recursive: true });
  cpSync(path.join(root, distDir, "static"), path.join(outDir, distDir, "static"), { recursive: true });
  cpSync(path.join(root, "public"), path.join(outDir, "public"), { recursive: true });
  await bundleWorker(root, path.join(outDir, "worker.mjs"));
  for (const file of MIGRATE_FILES) cpSync(path.join(root, file), path.join(outDir, file), { recursive: true });
  // Full copies over the standalone output's traced (partial) copies of the same packages, same paths.
  for (const dir of packageClosure(root, MIGRATE_PACKAGES)) cpSync(path.join(root, dir), path.join(outDir, dir), { recursive: true, force: true });
  cpSync(path.join(root, "scripts", "image", "entrypoint.sh"), path.join(outDir, "entrypoint.sh"));
  chmodSync(path.join(outDir, "entrypoint.sh"), 0o755);
  return { build, outDir };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const outDir = process.argv[2];
  if (!outDir) {
    console.error("usage: npx tsx scripts/image/assemble.ts <output dir>  (builds into NEXT_DIST_DIR, default .next)");
    process.exit(64);
  }
  const root = path.resolve(import.meta.dirname, "../..");
  const t0 = Date.now();
  assembleImage({ root, distDir: process.env.NEXT_DIST_DIR ?? ".next", outDir: path.resolve(outDir), log: (l) => console.log(`[image] ${l}`) })
    .then(() => console.log(`[image] /app laid out in ${outDir} in ${((Date.now() - t0) / 1000).toFixed(1)} s`))
    .catch((e: Error) => {
      console.error(`[image] ${e.message}`);
      process.exit(1);
    });
}
