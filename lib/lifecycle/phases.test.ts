import { describe, expect, it } from "vitest";
import { canTransition, nextPhase, stateLabel } from "./phases";

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

describe("state in words", () => {
  it("names what is under way: waking, going to sleep; otherwise the phase", () => {
    const at = new Date();
    expect(stateLabel({ phase: "PROVISIONING", desiredState: "RUNNING", readyAt: null })).toBe("Provisioning");
    expect(stateLabel({ phase: "PROVISIONING", desiredState: "RUNNING", readyAt: at })).toBe("Waking");
    expect(stateLabel({ phase: "SLEEPING", desiredState: "RUNNING", readyAt: at })).toBe("Waking");
    expect(stateLabel({ phase: "READY", desiredState: "SLEEPING", readyAt: at })).toBe("Going to sleep");
    expect(stateLabel({ phase: "SLEEPING", desiredState: "SLEEPING", readyAt: at })).toBe("Sleeping");
    expect(stateLabel({ phase: "DELETING", desiredState: "DELETED", readyAt: at })).toBe("Deleting");
  });
});
