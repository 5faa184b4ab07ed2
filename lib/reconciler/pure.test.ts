import { describe, expect, it } from "vitest";
import { formatDuration } from "./cluster-step";
import { utcDay } from "./sweeps";

describe("formatDuration", () => {
  it("reads naturally at every scale", () => {
    expect(formatDuration(0.4)).toBe("0 s");
    expect(formatDuration(12.3)).toBe("12 s");
    expect(formatDuration(89)).toBe("89 s");
    expect(formatDuration(90)).toBe("2 min");
    expect(formatDuration(900)).toBe("15 min");
    expect(formatDuration(5400)).toBe("1.5 h");
  });
});

describe("utcDay", () => {
  it("is UTC midnight, whatever the local time zone", () => {
    expect(utcDay(new Date("2026-03-01T23:59:59.999Z")).toISOString()).toBe("2026-03-01T00:00:00.000Z");
    expect(utcDay(new Date("2026-03-02T00:00:00.000Z")).toISOString()).toBe("2026-03-02T00:00:00.000Z");
  });
});
