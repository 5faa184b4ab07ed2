// `npm test`: static checks (lint, boundaries, types), then the three tiers in order — unit, integration, e2e — each run even if an earlier one
// failed, output streamed as it comes. Ends with the checks' verdicts, per-tier test counts and one summary line of tests,
// `<n> passed, <n> failed[, <n> skipped]`; exits non-zero if a check failed, a test failed, or a tier ran no test.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { holdTestCluster } from "./testenv/cluster";
import { ensureSystemPackages } from "./testenv/system-packages";
import { testRunPassed } from "./testenv/test-verdict";

interface Counts {
  passed: number;
  failed: number;
  skipped: number;
  /** why the tier failed beyond its test counts (crash, setup error, missing report) */
  problem?: string;
}

interface Tier {
  name: string;
  script: string;
  args: (reportFile: string) => string[];
  env: (reportFile: string) => Record<string, string>;
  parse: (report: unknown) => Counts;
  /** A check without a report (lint, types): passed or failed from its exit code; it counts no tests. */
  check?: boolean;
}

interface VitestReport {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  testResults: { name: string; status: string; message?: string; assertionResults: { status: string }[] }[];
}

function parseVitest(report: unknown): Counts {
  const r = report as VitestReport;
  // A file that fails to load or whose hooks throw has status "failed" but no failed test: count it.
  const brokenFiles = r.testResults.filter((f) => f.status === "failed" && !f.assertionResults.some((a) => a.status === "failed"));
  return {
    passed: r.numPassedTests,
    failed: r.numFailedTests + brokenFiles.length,
    skipped: r.numPendingTests + r.numTodoTests,
    problem: brokenFiles.length ? `${brokenFiles.length} file(s) failed outside tests: ${brokenFiles.map((f) => path.relative(process.cwd(), f.name)).join(", ")}` : undefined,
  };
}

interface PlaywrightReport {
  stats: { expected: number; unexpected: number; flaky: number; skipped: number };
  errors?: { message?: string }[];
}

function parsePlaywright(report: unknown): Counts {
  const r = report as PlaywrightReport;
  const errors = r.errors?.length ?? 0;
  return {
    passed: r.stats.expected + r.stats.flaky,
    failed: r.stats.unexpected + errors,
    skipped: r.stats.skipped,
    problem: errors ? `${errors} error(s) outside tests (global setup/teardown or config)` : undefined,
  };
}

// No --passWithNoTests: a tier that finds no test fails (a broken include pattern must not pass silently).
const vitestArgs = (file: string) => ["--reporter=default", "--reporter=json", `--outputFile.json=${file}`];

const noReport = { args: () => [], env: () => ({}), parse: () => ({ passed: 0, failed: 0, skipped: 0 }), check: true };

const tiers: Tier[] = [
  { name: "lint", script: "lint", ...noReport },
  // The layers (docs/architecture.md) are a check, not a suggestion: .dependency-cruiser.cjs.
  { name: "boundaries", script: "lint:boundaries", ...noReport },
  { name: "types", script: "typecheck", ...noReport },
  { name: "unit", script: "test:unit", args: vitestArgs, env: () => ({}), parse: parseVitest },
  { name: "integration", script: "test:integration", args: vitestArgs, env: () => ({}), parse: parseVitest },
  { name: "e2e", script: "test:e2e", args: () => [], env: (file) => ({ PLAYWRIGHT_JSON_OUTPUT_NAME: file }), parse: parsePlaywright },
];

let interrupted = false;
// Ctrl-C reaches the running tier too (same process group): let it shut down, then stop here.
process.on("SIGINT", () => (interrupted = true));
process.on("SIGTERM", () => (interrupted = true));

function runTier(tier: Tier, reportFile: string): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn("npm", ["run", tier.script, "--", ...tier.args(reportFile)], {
      stdio: "inherit",
      env: { ...process.env, ...tier.env(reportFile) },
    });
    child.on("error", () => resolve(127));
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

const banner = (text: string) => console.log(`\n${"━".repeat(8)} ${text} ${"━".repeat(Math.max(8, 70 - text.length))}\n`);

async function main(): Promise<number> {
  ensureSystemPackages((line) => console.log(`[test-all] ${line}`));
  const reportDir = mkdtempSync(path.join(os.tmpdir(), "vcp-test-reports-"));
  // The integration and e2e tiers both use the local cluster `test`: start it once, stop it at the end.
  const cluster = await holdTestCluster().catch(() => undefined); // if unavailable, the tiers say why
  const results: { tier: Tier; counts: Counts; code: number; seconds: number }[] = [];
  try {
    for (const tier of tiers) {
      if (interrupted) break;
      banner(`${tier.name} (npm run ${tier.script})`);
      const reportFile = path.join(reportDir, `${tier.name}.json`);
      const t0 = Date.now();
      const code = await runTier(tier, reportFile);
      const seconds = (Date.now() - t0) / 1000;
      let counts: Counts;
      if (tier.check) {
        results.push({ tier, counts: { passed: 0, failed: 0, skipped: 0, problem: code === 0 ? undefined : `exited with code ${code}` }, code, seconds });
        continue;
      }
      try {
        counts = tier.parse(JSON.parse(readFileSync(reportFile, "utf8")));
      } catch (err) {
        counts = { passed: 0, failed: 0, skipped: 0, problem: existsSync(reportFile) ? `unreadable report: ${(err as Error).message}` : "no report written" };
      }
      if (code !== 0 && counts.failed === 0) {
        // The tier failed without a failing test (setup error, crash): count it as one failure.
        counts.failed = 1;
        counts.problem ??= `exited with code ${code}`;
      }
      if (counts.passed + counts.failed === 0) counts.problem ??= "no test ran in this tier";
      results.push({ tier, counts, code, seconds });
    }
  } finally {
    await cluster?.release().catch((err: Error) => console.error(`[test-all] stopping the test cluster failed: ${err.message}`));
    rmSync(reportDir, { recursive: true, force: true });
  }

  const total: Counts = { passed: 0, failed: 0, skipped: 0 };
  banner("summary");
  for (const { tier, code, seconds } of results.filter((r) => r.tier.check)) {
    console.log(`${tier.name.padEnd(12)} ${code === 0 ? "check passed" : `check FAILED (exit ${code})`}  ${seconds.toFixed(1).padStart(6)} s`);
  }
  for (const { tier, counts, seconds } of results.filter((r) => !r.tier.check)) {
    total.passed += counts.passed;
    total.failed += counts.failed;
    total.skipped += counts.skipped;
    console.log(
      `${tier.name.padEnd(12)} ${String(counts.passed).padStart(4)} passed ${String(counts.failed).padStart(4)} failed ${String(counts.skipped).padStart(4)} skipped  ${seconds.toFixed(1).padStart(6)} s` +
        `${counts.problem ? `  ✗ ${counts.problem}` : ""}`,
    );
  }
  if (interrupted) console.log(`interrupted: ${tiers.length - results.length} tier(s) not run`);
  console.log(`\n${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ""}`);

  const verdict = results.map((r) => ({ check: Boolean(r.tier.check), code: r.code, passed: r.counts.passed, failed: r.counts.failed }));
  return testRunPassed(verdict, tiers.length, interrupted) ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(`[test-all] ${err.stack ?? err.message}`);
    process.exit(1);
  },
);
