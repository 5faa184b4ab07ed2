import { describe, expect, it } from "vitest";
import { noRoomMessage } from "@/lib/domain/place-cluster";
import { offersSmallerSize } from "@/lib/lifecycle/size";

describe("when no host takes a cluster", () => {
  it("says to enable a host when every host is disabled, whatever the size", () => {
    for (const smallerSizeOffered of [true, false]) {
      const message = noRoomMessage({ anyHostEnabled: false, smallerSizeOffered });
      expect(message).toMatch(/every host is disabled/);
      expect(message).not.toMatch(/smaller/);
    }
  });

  it("suggests a smaller size only when the template has one", () => {
    expect(noRoomMessage({ anyHostEnabled: true, smallerSizeOffered: true })).toMatch(/Try a smaller size/);
    expect(noRoomMessage({ anyHostEnabled: true, smallerSizeOffered: false })).not.toMatch(/smaller/);
  });

  it("knows whether a template offers a smaller size than the one asked for", () => {
    expect(offersSmallerSize(["small", "medium"], "medium")).toBe(true);
    expect(offersSmallerSize(["small", "medium"], "small")).toBe(false);
    // No size parameter: the template's own (smallest) figure.
    expect(offersSmallerSize([], undefined)).toBe(false);
    expect(offersSmallerSize(["small", "medium", "large"], "large")).toBe(true);
  });
});
