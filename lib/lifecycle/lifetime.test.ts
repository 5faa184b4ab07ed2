import { format } from "date-fns";
import { describe, expect, it } from "vitest";
import { extendLimit, extendableHours, lifetimeRefusal, requestedLifetimeHours } from "@/lib/lifecycle/lifetime";

const now = Date.UTC(2026, 0, 1, 12);
const H = 3600_000;
const limits = (templateMaxHours: number, teamMaxHours: number | null) => ({ templateMaxHours, templateName: "Sandbox", teamMaxHours });

describe("extendLimit", () => {
  it("is the smaller of the template's and the team's maximum lifetime, counted from now, and names it", () => {
    const team = extendLimit(limits(24, 10), now);
    expect(team).toMatchObject({ by: "team", maxHours: 10, latest: now + 10 * H });
    expect(team.message).toBe(`Your team's clusters live at most 10 hours from now (the team's maximum lifetime): you can extend until ${format(now + 10 * H, "PPpp")}`);

    const template = extendLimit(limits(24, 720), now);
    expect(template).toMatchObject({ by: "template", maxHours: 24, latest: now + 24 * H });
    expect(template.message).toBe(`Sandbox clusters live at most 24 hours from now (the template's maximum lifetime): you can extend until ${format(now + 24 * H, "PPpp")}`);

    expect(extendLimit(limits(24, 24), now).by).toBe("template");
    expect(extendLimit(limits(24, null), now)).toMatchObject({ by: "template", maxHours: 24 });
  });
});

describe("extendableHours", () => {
  it("is what is left below the tighter limit", () => {
    const in8h = new Date(now + 8 * H);
    expect(extendableHours(in8h, limits(24, null), now)).toBe(16);
    expect(extendableHours(in8h, limits(24, 10), now)).toBe(2);
    expect(extendableHours(new Date(now + 12 * H), limits(24, 10), now)).toBe(0); // already past the team's limit
    expect(extendableHours(new Date(now - H), limits(24, 10), now)).toBe(10);
    expect(extendableHours(null, limits(24, 10), now)).toBe(0);
  });
});

describe("requested lifetime", () => {
  it("is the ttlHours parameter, else the template's default", () => {
    expect(requestedLifetimeHours({ ttlHours: 4 }, 8)).toBe(4);
    expect(requestedLifetimeHours({ size: "small" }, 8)).toBe(8);
    expect(requestedLifetimeHours(null, 8)).toBe(8);
  });

  it("is refused past the template's maximum first, then the team's, naming the limit", () => {
    expect(lifetimeRefusal(30, limits(24, 10))).toBe("Sandbox clusters live at most 24 hours");
    expect(lifetimeRefusal(12, limits(24, 10))).toBe("Your team's clusters live at most 10 hours");
    expect(lifetimeRefusal(10, limits(24, 10))).toBeNull();
    expect(lifetimeRefusal(24, limits(24, null))).toBeNull();
  });
});
