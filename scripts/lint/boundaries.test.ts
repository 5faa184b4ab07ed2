// The boundaries rules (.dependency-cruiser.cjs) catch what they promise: a tiny project in a temporary
// directory breaks each rule once (static, dynamic and climbing relative imports), and the real CLI,
// with the repository's own configuration, must report exactly those.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const repo = path.resolve(__dirname, "../..");
const files: Record<string, string> = {
  "tsconfig.json": JSON.stringify({ compilerOptions: { baseUrl: ".", paths: { "@/*": ["./*"] }, module: "esnext", moduleResolution: "bundler" } }),
  "lib/reconciler/queue.ts": "export const claim = 1;\n",
  "lib/lifecycle/phases.ts": "export const phases = ['READY'];\n",
  "scripts/testenv/fake-host.ts": "export const fake = 1;\n",
  "app/page.tsx": "export default function Page() { return null; }\n",
  // allowed: the domain uses the lifecycle
  "lib/domain/fine.ts": 'import { phases } from "@/lib/lifecycle/phases";\nexport const ok = phases;\n',
  // domain → reconciler through a relative path that climbs out of the layer
  "lib/domain/climbs.ts": 'import { claim } from "../reconciler/queue";\nexport const c = claim;\n',
  // domain → reconciler through a dynamic import
  "lib/domain/lazy.ts": 'export async function later() { return (await import("@/lib/reconciler/queue")).claim; }\n',
  // product code → test environment
  "lib/domain/uses-fake.ts": 'import { fake } from "@/scripts/testenv/fake-host";\nexport const f = fake;\n',
  // the lifecycle runs in browsers: no Node built-ins
  "lib/lifecycle/clock.ts": 'import { randomUUID } from "node:crypto";\nexport const id = randomUUID;\n',
  // components never import routes
  "components/widget.tsx": 'import Page from "@/app/page";\nexport const W = Page;\n',
};

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "vcp-boundaries-"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the boundaries lint", () => {
  it("reports each violation, by rule, and nothing that is allowed", () => {
    // This Node (the repository's), not whatever `node` is first on PATH outside the repository.
    const cli = path.join(repo, "node_modules/dependency-cruiser/bin/dependency-cruiser.mjs");
    const res = spawnSync(process.execPath, [cli, "app", "components", "lib", "scripts", "--config", path.join(repo, ".dependency-cruiser.cjs"), "--output-type", "json"], {
      cwd: dir,
      encoding: "utf8",
    });
    expect(res.stderr).toBe("");
    const out = JSON.parse(res.stdout) as { summary: { violations: { from: string; to: string; rule: { name: string } }[] } };
    const found = out.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`).sort();
    expect(found).toEqual(
      [
        "browser-safe-modules-without-node: lib/lifecycle/clock.ts → crypto",
        "components-below-routes: components/widget.tsx → app/page.tsx",
        "domain-below-drivers: lib/domain/climbs.ts → lib/reconciler/queue.ts",
        "domain-below-drivers: lib/domain/lazy.ts → lib/reconciler/queue.ts",
        "lifecycle-is-pure: lib/lifecycle/clock.ts → crypto",
        "no-test-code-in-product: lib/domain/uses-fake.ts → scripts/testenv/fake-host.ts",
      ].sort(),
    );
  }, 60_000);
});
