import { describe, expect, it } from "vitest";
import { namespaceName } from "./host-names";

describe("host names", () => {
  it("prefixes team and cluster", () => {
    expect(namespaceName("payments", "sandbox-1")).toBe("vc-payments-sandbox-1");
  });

  it("bounds long names to a DNS label with a stable hash", () => {
    const ns = namespaceName("a-very-long-team-slug-for-testing", "an-even-longer-cluster-name-xyz");
    expect(ns.length).toBeLessThanOrEqual(63);
    expect(ns).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    expect(namespaceName("a-very-long-team-slug-for-testing", "an-even-longer-cluster-name-xyz")).toBe(ns);
    expect(namespaceName("a-very-long-team-slug-for-testing", "an-even-longer-cluster-name-xyw")).not.toBe(ns);
  });
});
