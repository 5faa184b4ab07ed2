// The production build (`next build`), made once and reused while its inputs have not changed: `npm start`,
// the e2e tier and the page benchmark each build into their own dist dir (next.config.mjs reads
// NEXT_DIST_DIR) and keep a stamp with the hash of the sources the build was made from.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

/** What `next build` reads: the app's sources and its build configuration. Tests are left out. */
export const BUILD_INPUT_DIRS = ["app", "components", "lib", "public"];
export const BUILD_INPUT_FILES = ["next.config.mjs", "package-lock.json", "tsconfig.json", "postcss.config.mjs", "proxy.ts", "instrumentation.ts"];
const SKIP_FILE = /\.(test|int\.test)\.tsx?$/;
const SKIP_DIR = new Set(["node_modules", ".next"]);

function walk(dir: string, out: string[]) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (!SKIP_DIR.has(e.name)) walk(p, out);
    } else if (e.isFile() && !SKIP_FILE.test(e.name)) out.push(p);
  }
}

/** sha256 over the inputs' paths and contents, the dist dir and the NEXT_PUBLIC_* environment. */
export function sourceHash(root: string, distDir: string, env: Record<string, string | undefined> = process.env): string {
  const files: string[] = [];
  for (const d of BUILD_INPUT_DIRS) walk(path.join(root, d), files);
  for (const f of BUILD_INPUT_FILES) if (existsSync(path.join(root, f))) files.push(path.join(root, f));
  const h = createHash("sha256");
  h.update(`distDir=${distDir}\0`);
  for (const [k, v] of Object.entries(env).filter(([k]) => k.startsWith("NEXT_PUBLIC_")).sort()) h.update(`${k}=${v}\0`);
  for (const f of files) {
    h.update(path.relative(root, f));
    h.update("\0");
    h.update(readFileSync(f));
    h.update("\0");
  }
  return h.digest("hex");
}

type Stamp = { hash: string; buildId: string; builtAt: string; seconds: number };

function readStamp(file: string): Stamp | undefined {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as Stamp;
  } catch {
    return undefined;
  }
}

function readBuildId(root: string, distDir: string): string | undefined {
  try {
    return readFileSync(path.join(root, distDir, "BUILD_ID"), "utf8").trim();
  } catch {
    return undefined;
  }
}

export type BuildResult = { reused: boolean; seconds: number; hash: string; builtAt: string; logFile: string };

/**
 * Runs `next build` into `distDir` unless the build there was made from the current sources (the stamp's
 * hash matches and the dist dir still holds that build). `log` gets progress lines, about every 20 s.
 */
export async function ensureProductionBuild(opts: {
  root: string;
  distDir: string;
  stampFile: string;
  logFile: string;
  log: (line: string) => void;
  env?: Record<string, string | undefined>;
}): Promise<BuildResult> {
  const env = opts.env ?? process.env;
  const hash = sourceHash(opts.root, opts.distDir, env);
  const stamp = readStamp(opts.stampFile);
  const buildId = readBuildId(opts.root, opts.distDir);
  if (stamp && stamp.hash === hash && buildId && stamp.buildId === buildId) {
    return { reused: true, seconds: 0, hash, builtAt: stamp.builtAt, logFile: opts.logFile };
  }
  opts.log(
    stamp && buildId && stamp.buildId === buildId
      ? `sources changed since the build of ${stamp.builtAt}: building again (next build → ${opts.distDir})…`
      : `no production build yet: building (next build → ${opts.distDir}; about a minute on 2 cores)…`,
  );
  const t0 = Date.now();
  mkdirSync(path.dirname(opts.logFile), { recursive: true });
  const out = createWriteStream(opts.logFile);
  let last = "";
  let tail: string[] = [];
  await new Promise<void>((resolve, reject) => {
    const child = spawn(path.join(opts.root, "node_modules", ".bin", "next"), ["build"], {
      cwd: opts.root,
      env: { ...env, NODE_ENV: "production", NEXT_DIST_DIR: opts.distDir, NEXT_TELEMETRY_DISABLED: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const feed = (b: Buffer) => {
      out.write(b);
      for (const line of b.toString().split("\n")) {
        const plain = line.replace(/\u001b\[[0-9;]*m/g, "").trim();
        if (!plain) continue;
        tail = [...tail.slice(-40), plain];
        if (/^(✓|Creating|Running|Collecting|Generating|Finalizing|Finished)/.test(plain)) last = plain;
      }
    };
    child.stdout.on("data", feed);
    child.stderr.on("data", feed);
    const beat = setInterval(() => opts.log(`  still building (${Math.round((Date.now() - t0) / 1000)} s)${last ? `: ${last}` : ""}`), 20_000);
    child.on("error", (e) => {
      clearInterval(beat);
      reject(e);
    });
    child.on("exit", (code, signal) => {
      clearInterval(beat);
      out.end();
      if (code === 0) resolve();
      else reject(new Error(`next build failed (${signal ?? `exit ${code}`}); full log ${path.relative(opts.root, opts.logFile)}:\n${tail.join("\n")}`));
    });
  });
  const newId = readBuildId(opts.root, opts.distDir);
  if (!newId) throw new Error(`next build finished but ${opts.distDir}/BUILD_ID is missing`);
  const seconds = (Date.now() - t0) / 1000;
  const builtAt = new Date().toISOString();
  mkdirSync(path.dirname(opts.stampFile), { recursive: true });
  writeFileSync(opts.stampFile, `${JSON.stringify({ hash, buildId: newId, builtAt, seconds } satisfies Stamp, null, 2)}\n`);
  return { reused: false, seconds, hash, builtAt, logFile: opts.logFile };
}
