import { describe, expect, it } from "vitest";
import { testRunPassed, type TierResult } from "./test-verdict";

const check = (code = 0): TierResult => ({ check: true, code, passed: 0, failed: 0 });
const tier = (passed: number, failed = 0, code = 0): TierResult => ({ check: false, code, passed, failed });

describe("npm test's verdict", () => {
  it("passes when checks pass and every tier ran tests that passed", () => {
    expect(testRunPassed([check(), check(), tier(10), tier(5), tier(3)], 5, false)).toBe(true);
  });

  it("fails when a tier ran no test, even with exit code 0", () => {
    expect(testRunPassed([check(), check(), tier(10), tier(0), tier(3)], 5, false)).toBe(false);
  });

  it("fails on a failed check, a failed test, a crashed tier, a missing tier or an interruption", () => {
    expect(testRunPassed([check(1), check(), tier(10), tier(5), tier(3)], 5, false)).toBe(false);
    expect(testRunPassed([check(), check(), tier(10, 1, 1), tier(5), tier(3)], 5, false)).toBe(false);
    expect(testRunPassed([check(), check(), tier(10), tier(5, 0, 1), tier(3)], 5, false)).toBe(false);
    expect(testRunPassed([check(), check(), tier(10), tier(5)], 5, false)).toBe(false);
    expect(testRunPassed([check(), check(), tier(10), tier(5), tier(3)], 5, true)).toBe(false);
  });
});
