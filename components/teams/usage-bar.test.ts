import { describe, expect, it } from "vitest";
import { usageLevel } from "./usage-bar";

describe("usage level", () => {
  it("grades by share of the limit", () => {
    expect(usageLevel(2, 5)).toEqual({ percent: 40, tone: "ok" });
    expect(usageLevel(4, 5)).toEqual({ percent: 80, tone: "high" });
    expect(usageLevel(6, 5).tone).toBe("over");
  });
  it("handles a zero limit", () => {
    expect(usageLevel(0, 0)).toEqual({ percent: 0, tone: "ok" });
    expect(usageLevel(1, 0)).toEqual({ percent: 100, tone: "over" });
  });
});
