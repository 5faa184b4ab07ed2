import { describe, expect, it } from "vitest";
import { clusterActivity, progressSteps } from "@/lib/domain/get-cluster-detail";

const ev = (...types: string[]) => types.map((type) => ({ type, message: `${type} message` }));
const statuses = (s: ReturnType<typeof progressSteps>) => Object.fromEntries(s.map((x) => [x.key, x.status]));

describe("progressSteps", () => {
  it("walks requested → approved → namespace → release → ready from the reconciler's timeline", () => {
    const auto = { phase: "PROVISIONING" as const, lastError: null, approval: "AUTO" as const };
    expect(statuses(progressSteps(auto, ev("requested")))).toEqual({ requested: "done", approved: "done", namespace: "current", release: "pending", ready: "pending" });
    expect(statuses(progressSteps(auto, ev("requested", "namespace-created")))).toMatchObject({ namespace: "done", release: "current", ready: "pending" });
    expect(statuses(progressSteps(auto, ev("requested", "namespace-created", "release-installed")))).toMatchObject({ release: "done", ready: "current" });
    expect(statuses(progressSteps({ ...auto, phase: "READY" }, ev("requested")))).toEqual({ requested: "done", approved: "done", namespace: "done", release: "done", ready: "done" });
  });

  it("labels automatic approval, waits on a person, and shows who approved", () => {
    expect(progressSteps({ phase: "PROVISIONING", lastError: null, approval: "AUTO" }, ev("requested"))[1]!.label).toBe("Approved automatically");
    const waiting = progressSteps({ phase: "PENDING_APPROVAL", lastError: null, approval: "REQUIRED" }, ev("requested", "awaiting-approval"));
    expect(statuses(waiting)).toMatchObject({ approved: "current", namespace: "pending" });
    const approved = progressSteps({ phase: "PROVISIONING", lastError: null, approval: "REQUIRED" }, [...ev("requested"), { type: "approved", message: "Approved by admin@example.com" }]);
    expect(approved[1]).toMatchObject({ label: "Approved", status: "done", detail: "Approved by admin@example.com" });
  });

  it("marks a rejection and the failing step with its error", () => {
    const rejected = progressSteps({ phase: "REJECTED", lastError: null, approval: "REQUIRED" }, [{ type: "rejected", message: "Rejected by admin@example.com: too big" }]);
    expect(rejected[1]).toMatchObject({ status: "error", detail: "Rejected by admin@example.com: too big" });
    const failed = progressSteps({ phase: "FAILED", lastError: "helm: chart not found", approval: "AUTO" }, ev("requested", "namespace-created"));
    expect(failed.find((s) => s.key === "release")).toMatchObject({ status: "error", detail: "helm: chart not found" });
  });

  it("starts the host steps over after a drift repair", () => {
    const s = progressSteps({ phase: "PROVISIONING", lastError: null, approval: "AUTO" }, ev("requested", "namespace-created", "release-installed", "ready", "drift-detected"));
    expect(statuses(s)).toMatchObject({ namespace: "current", release: "pending" });
  });
});

describe("clusterActivity", () => {
  it("polls fast while the reconciler works, slowly while a person must act, not at all when settled", () => {
    expect(clusterActivity({ phase: "PROVISIONING", desiredState: "RUNNING" })).toBe("moving");
    expect(clusterActivity({ phase: "READY", desiredState: "SLEEPING" })).toBe("moving");
    expect(clusterActivity({ phase: "SLEEPING", desiredState: "RUNNING" })).toBe("moving");
    expect(clusterActivity({ phase: "DELETING", desiredState: "DELETED" })).toBe("moving");
    expect(clusterActivity({ phase: "PENDING_APPROVAL", desiredState: "RUNNING" })).toBe("waiting");
    for (const phase of ["READY", "FAILED", "DELETED", "REJECTED", "EXPIRED"] as const) expect(clusterActivity({ phase, desiredState: "RUNNING" })).toBe("stable");
  });
});
