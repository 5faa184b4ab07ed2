// `npm test` needs Debian's postgresql (a real server per run) and chromium (Playwright cannot download
// browsers here). Install them when missing and we may (root with apt-get); otherwise the tiers fail
// with a message that names the package.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";

function postgresInstalled(): boolean {
  try {
    return readdirSync("/usr/lib/postgresql").some((v) => existsSync(`/usr/lib/postgresql/${v}/bin/postgres`));
  } catch {
    return false;
  }
}

export function ensureSystemPackages(log: (line: string) => void): void {
  const missing = [...(postgresInstalled() ? [] : ["postgresql"]), ...(existsSync("/usr/bin/chromium") ? [] : ["chromium"])];
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0 || !existsSync("/usr/bin/apt-get")) {
    log(`missing system packages: ${missing.join(", ")} — install them (apt-get install -y ${missing.join(" ")}); the tiers that need them will fail`);
    return;
  }
  log(`installing missing system packages: ${missing.join(", ")}`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  spawnSync("apt-get", ["update"], { stdio: "inherit", env });
  const r = spawnSync("apt-get", ["install", "-y", ...missing], { stdio: "inherit", env });
  if (r.status !== 0) log(`apt-get install ${missing.join(" ")} failed (exit ${r.status}); the tiers that need them will fail`);
}
