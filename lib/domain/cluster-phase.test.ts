import { describe, expect, it } from "vitest";
import { canTransition, nextPhase } from "./cluster-phase";

describe("cluster lifecycle", () => {
  it("walks the happy path", () => {
    let p = nextPhase("PENDING_APPROVAL", "approve");
    expect(p).toBe("PROVISIONING");
    p = nextPhase(p, "ready");
    expect(p).toBe("READY");
    p = nextPhase(p, "slept");
    expect(p).toBe("SLEEPING");
    p = nextPhase(p, "wake");
    expect(p).toBe("PROVISIONING");
    p = nextPhase(nextPhase(p, "ready"), "delete");
    expect(p).toBe("DELETING");
    expect(nextPhase(p, "deleted")).toBe("DELETED");
    expect(nextPhase(p, "expired")).toBe("EXPIRED");
  });

  it("refuses impossible moves with a readable message", () => {
    expect(() => nextPhase("DELETED", "wake")).toThrow("A cluster that is deleted cannot be woken.");
    expect(() => nextPhase("READY", "approve")).toThrow("cannot be approved");
    expect(() => nextPhase("READY", "reject")).toThrow("cannot be rejected");
    expect(canTransition("FAILED", "retry")).toBe(true);
    expect(canTransition("READY", "retry")).toBe(false);
  });
});
