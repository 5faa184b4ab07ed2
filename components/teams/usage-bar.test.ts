import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { meterSegments, UsageBar, usageLevel } from "./usage-bar";

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

describe("the meter's segments", () => {
  it("puts what waits for approval after what is in use, and the request under review last", () => {
    expect(meterSegments({ inUse: 2, pending: 1, limit: 5 })).toEqual({ inUse: 40, waiting: 20, thisRequest: 0 });
    expect(meterSegments({ inUse: 1, pending: 2, limit: 5 }, 1)).toEqual({ inUse: 20, waiting: 20, thisRequest: 20 });
  });
  it("never draws past the end of the track", () => {
    expect(meterSegments({ inUse: 4, pending: 3, limit: 5 }, 1)).toEqual({ inUse: 80, waiting: 20, thisRequest: 0 });
    expect(meterSegments({ inUse: 7, pending: 1, limit: 5 })).toEqual({ inUse: 100, waiting: 0, thisRequest: 0 });
  });
});

const render = (props: Parameters<typeof UsageBar>[0]) => renderToStaticMarkup(createElement(UsageBar, props));

describe("the meter's text", () => {
  it("says in use and waiting apart, in the label and in words", () => {
    const html = render({ label: "Clusters", resource: "clusters", line: { inUse: 2, pending: 1, limit: 5 } });
    expect(html).toContain(">2 in use + 1 waiting / 5<");
    expect(html).toContain('aria-valuetext="2 of 5 in use, 1 more waiting for approval"');
    expect(html).toContain('role="meter"');
    expect(html).toContain('aria-valuenow="2"');
    expect(html).toContain('data-segment="waiting"');
  });

  it("names the unit once, and a zero as a plain 0", () => {
    const html = render({ label: "Memory", resource: "memoryMiB", line: { inUse: 0, pending: 0, limit: 16384 } });
    expect(html).toContain(">0 in use / 16 GiB<");
    expect(html).toContain('aria-valuetext="0 of 16 GiB in use"');
    expect(html).not.toContain("data-segment");
  });

  it("shows the request under review as its own segment", () => {
    const html = render({ label: "CPU", resource: "cpuMillicores", line: { inUse: 2000, pending: 3000, limit: 8000 }, thisRequest: 2000 });
    expect(html).toContain(">2 in use + 3 waiting (this request: 2) / 8 CPU<");
    expect(html).toContain('aria-valuetext="2 of 8 CPU in use, 3 more waiting for approval (this request: 2)"');
    expect(html).toContain('data-segment="this-request"');
  });
});
