import { describe, expect, it } from "vitest";
import { controlPlaneChange } from "./host-watch";

const sts = (over: { replicas?: number; ready?: number; pods?: number; paused?: boolean; restoring?: boolean } = {}) => ({
  metadata: {
    name: "c1",
    namespace: "vc-t-c1",
    annotations: { ...(over.paused ? { "loft.sh/paused": "true" } : {}), ...(over.restoring ? { "loft.sh/restoring": "true" } : {}) },
  },
  spec: { replicas: over.replicas ?? 1 },
  status: { readyReplicas: over.ready ?? 0, replicas: over.pods ?? 1 },
});

describe("controlPlaneChange: what a waiting step is told", () => {
  it("reports becoming ready, and nothing for a status change a step does not act on", () => {
    expect(controlPlaneChange(sts({ ready: 1 }), sts())).toBe("ready=true");
    expect(controlPlaneChange(sts(), sts())).toBeNull();
    // the first pod of a new control plane appears: no step waits for that
    expect(controlPlaneChange(sts({ pods: 1 }), sts({ pods: 0 }))).toBeNull();
    expect(controlPlaneChange({ ...sts({ ready: 1 }), metadata: { ...sts().metadata, resourceVersion: "9" } }, sts({ ready: 1 }))).toBeNull();
  });

  it("a new control plane is news only when it is already ready or paused; a deleted one always", () => {
    expect(controlPlaneChange(sts(), undefined)).toBeNull();
    expect(controlPlaneChange(sts({ ready: 1 }), undefined)).toBe("created ready");
    expect(controlPlaneChange(sts({ replicas: 0, pods: 0, paused: true }), undefined)).toBe("created paused");
    expect(controlPlaneChange(undefined, sts({ ready: 1 }))).toBe("deleted");
    expect(controlPlaneChange(undefined, undefined)).toBeNull();
  });

  it("reports sleep's stages: scaled to zero and paused, then stopped (no pod left)", () => {
    const asleep = sts({ replicas: 0, ready: 1, pods: 1, paused: true });
    expect(controlPlaneChange(asleep, sts({ ready: 1 }))).toBe("ready=false, replicas=0, paused=true");
    expect(controlPlaneChange(sts({ replicas: 0, ready: 0, pods: 0, paused: true }), asleep)).toBe("stopped=true");
  });

  it("reports `vcluster restore` taking and releasing the control plane", () => {
    expect(controlPlaneChange(sts({ ready: 1, restoring: true }), sts({ ready: 1 }))).toBe("restoring=true");
  });
});
