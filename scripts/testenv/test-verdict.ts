// The verdict of `npm test` (scripts/test-all.ts), apart so it can be tested without running the tiers.

export interface TierResult {
  /** A check (lint, types) counts no tests; a test tier must run at least one. */
  check: boolean;
  code: number;
  passed: number;
  failed: number;
}

/** Green only when every tier ran and exited 0, no test failed, and every test tier ran at least one test. */
export function testRunPassed(results: TierResult[], expectedTiers: number, interrupted: boolean): boolean {
  if (interrupted || results.length !== expectedTiers) return false;
  return results.every((r) => r.code === 0 && r.failed === 0 && (r.check || r.passed > 0));
}
