import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ensureProductionBuild, sourceHash } from "./build";

const dirs: string[] = [];
function project(): string {
  const root = mkdtempSync(path.join(os.tmpdir(), "vcp-build-"));
  dirs.push(root);
  for (const d of ["app", "lib/auth", "components", "public"]) mkdirSync(path.join(root, d), { recursive: true });
  writeFileSync(path.join(root, "app", "page.tsx"), "export default 1");
  writeFileSync(path.join(root, "lib", "auth", "config.ts"), "export const a = 1");
  writeFileSync(path.join(root, "next.config.mjs"), "export default {}");
  writeFileSync(path.join(root, "package-lock.json"), "{}");
  return root;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe("sourceHash", () => {
  it("changes with the app's sources and build configuration, not with tests", () => {
    const root = project();
    const h = sourceHash(root, ".next/start", {});
    expect(sourceHash(root, ".next/start", {})).toBe(h);
    writeFileSync(path.join(root, "lib", "auth", "config.test.ts"), "test");
    writeFileSync(path.join(root, "lib", "auth", "x.int.test.ts"), "test");
    expect(sourceHash(root, ".next/start", {})).toBe(h);

    expect(sourceHash(root, ".next/e2e", {})).not.toBe(h);
    expect(sourceHash(root, ".next/start", { NEXT_PUBLIC_X: "1" })).not.toBe(h);
    writeFileSync(path.join(root, "public", "robots.txt"), "User-agent: *");
    const withPublic = sourceHash(root, ".next/start", {});
    expect(withPublic).not.toBe(h);
    writeFileSync(path.join(root, "package-lock.json"), '{"lockfileVersion":3}');
    expect(sourceHash(root, ".next/start", {})).not.toBe(withPublic);
  });
});

describe("ensureProductionBuild", () => {
  it("reuses the build when the stamp matches the sources and the dist dir still holds that build", async () => {
    const root = project();
    const distDir = ".next/start";
    mkdirSync(path.join(root, distDir), { recursive: true });
    writeFileSync(path.join(root, distDir, "BUILD_ID"), "abc\n");
    const stampFile = path.join(root, ".data", "next-build.json");
    mkdirSync(path.dirname(stampFile), { recursive: true });
    writeFileSync(stampFile, JSON.stringify({ hash: sourceHash(root, distDir, {}), buildId: "abc", builtAt: "2026-12-01T00:00:00.000Z", seconds: 60 }));
    const lines: string[] = [];
    const r = await ensureProductionBuild({ root, distDir, stampFile, logFile: path.join(root, "build.log"), log: (l) => lines.push(l), env: {} });
    expect(r).toMatchObject({ reused: true, builtAt: "2026-12-01T00:00:00.000Z" });
    expect(lines).toEqual([]);
  });
});
