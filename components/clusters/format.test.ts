import { describe, expect, it } from "vitest";
import { formatExpiry } from "@/components/clusters/format";

describe("formatExpiry", () => {
  const now = new Date("2026-01-01T12:00:00Z");
  const at = (minutes: number) => new Date(now.getTime() + minutes * 60_000);
  it("is short and relative", () => {
    expect(formatExpiry(at(45), now)).toBe("in 45 min");
    expect(formatExpiry(at(3 * 60), now)).toBe("in 3 h");
    expect(formatExpiry(at(8 * 60 - 1), now)).toBe("in 8 h");
    expect(formatExpiry(at(72 * 60), now)).toBe("in 3 days");
    expect(formatExpiry(at(-5), now)).toBe("expired");
    expect(formatExpiry(at(90).toISOString(), now)).toBe("in 2 h");
  });
});
