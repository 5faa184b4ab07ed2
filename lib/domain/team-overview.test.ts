import { describe, expect, it } from "vitest";
import { dayKey, usageSeries } from "./team-overview";

const now = new Date("2026-03-31T15:00:00Z");
const day = (s: string) => new Date(`${s}T00:00:00Z`);

describe("usage series", () => {
  it("has one point per day for 30 days, ending with today's live figure", () => {
    const s = usageSeries([], { clusters: 2, cpuMillicores: 3000, memoryMiB: 6144 }, now);
    expect(s).toHaveLength(30);
    expect(s[0]!.day).toBe("2026-03-02");
    expect(s.at(-1)).toEqual({ day: "2026-03-31", live: true, clusters: 2, cpuMillicores: 3000, memoryMiB: 6144 });
    expect(s.slice(0, -1).every((p) => p.clusters === null && !p.live)).toBe(true);
  });

  it("places snapshots on their day, leaves gaps as nulls and ignores older or today's snapshot", () => {
    const s = usageSeries(
      [
        { day: day("2026-02-01"), clusters: 9, cpuMillicores: 9, memoryMiB: 9 },
        { day: day("2026-03-30"), clusters: 1, cpuMillicores: 1000, memoryMiB: 2048 },
        { day: day("2026-03-31"), clusters: 7, cpuMillicores: 7, memoryMiB: 7 },
      ],
      { clusters: 2, cpuMillicores: 3000, memoryMiB: 6144 },
      now,
    );
    expect(s.find((p) => p.day === "2026-03-30")).toMatchObject({ clusters: 1, cpuMillicores: 1000, live: false });
    expect(s.find((p) => p.day === "2026-03-29")?.clusters).toBeNull();
    expect(s.at(-1)?.clusters).toBe(2);
    expect(s.some((p) => p.clusters === 9)).toBe(false);
  });

  it("uses UTC days", () => {
    expect(dayKey(new Date("2026-03-31T23:59:59Z"))).toBe("2026-03-31");
  });
});
