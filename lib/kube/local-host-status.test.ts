import { describe, expect, it } from "vitest";
import { interpretLocalHostStatus, NOT_STARTED_HINT, type StatusDeps } from "./local-host-status";

const deps = (over: Partial<StatusDeps> = {}): StatusDeps => ({ isAlive: () => true, readProgress: () => null, ...over });
const src = "/x/state.json";

describe("local host status", () => {
  it("explains how to start when there is no status file", () => {
    expect(interpretLocalHostStatus(null, src, deps())).toEqual({ state: "not-started", label: NOT_STARTED_HINT, source: src });
    expect(interpretLocalHostStatus(null, src, deps({ kubeconfig: "/k" }))).toMatchObject({ state: "external", label: "attached with KUBECONFIG (/k)" });
  });

  it("shows build progress k/n from the build's progress.json", () => {
    const s = interpretLocalHostStatus(
      { name: "dev", phase: "building", detail: "building Kubernetes binaries", ownerPid: 1, k8sVersion: "v1.36.3" },
      src,
      deps({ readProgress: (v) => (v === "v1.36.3" ? { state: "building", done: 3, total: 7, current: "kube-scheduler" } : null) }),
    );
    expect(s).toMatchObject({ state: "building", label: "building 3/7: kube-scheduler", progress: { done: 3, total: 7 } });
  });

  it("reads the progress.json format directly, and clusterStatus()'s shape", () => {
    expect(interpretLocalHostStatus({ state: "building", done: 1, total: 7, current: "etcd", pid: 5 }, src, deps())).toMatchObject({ state: "building", label: "building 1/7: etcd" });
    expect(interpretLocalHostStatus({ state: "building", detail: "x", progress: { done: 2, total: 7 } }, src, deps())).toMatchObject({ label: "building 2/7" });
    expect(interpretLocalHostStatus({ state: "absent", detail: "no local cluster" }, src, deps())).toMatchObject({ state: "not-started" });
  });

  it("reports starting, ready and failed", () => {
    expect(interpretLocalHostStatus({ phase: "starting", detail: "starting etcd", ownerPid: 1 }, src, deps())).toMatchObject({ state: "starting", label: "starting: starting etcd" });
    expect(interpretLocalHostStatus({ phase: "ready", detail: "ready: 3 nodes, API https://127.0.0.1:16443", ownerPid: 1 }, src, deps({ isAlive: () => false }))).toMatchObject({
      state: "ready",
      label: "ready: 3 nodes, API https://127.0.0.1:16443",
    });
    expect(interpretLocalHostStatus({ phase: "failed", detail: "go not found" }, src, deps())).toMatchObject({ state: "failed", label: "failed: go not found" });
  });

  it("notices a build or start whose process died", () => {
    expect(interpretLocalHostStatus({ phase: "building", detail: "d", ownerPid: 42 }, src, deps({ isAlive: () => false }))).toMatchObject({ state: "failed", label: "build was interrupted (d)" });
    expect(interpretLocalHostStatus({ phase: "starting", detail: "starting etcd", ownerPid: 42 }, src, deps({ isAlive: () => false }))).toMatchObject({ state: "failed" });
  });

  it("checks the pids npm start's status lists, and reports a machine without Go", () => {
    const json = { state: "ready", detail: "ready: 3 nodes", pids: { etcd: 10, "kube-apiserver": 11 } };
    expect(interpretLocalHostStatus(json, src, deps()).state).toBe("ready");
    expect(interpretLocalHostStatus(json, src, deps({ isAlive: (pid) => pid !== 11 }))).toMatchObject({ state: "failed", label: expect.stringContaining("kube-apiserver has stopped") });
    expect(interpretLocalHostStatus({ state: "unavailable", detail: "Go is not installed" }, src, deps())).toMatchObject({ state: "unavailable", label: "unavailable: Go is not installed" });
  });

  it("says when a finished build has not been started", () => {
    expect(interpretLocalHostStatus({ state: "done", done: 7, total: 7 }, src, deps()).label).toContain("binaries built");
  });
});
