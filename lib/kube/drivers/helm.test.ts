import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { chartArgs, isLocalChart, readableHelmError } from "./helm";
import { buildHelmRelease, buildHelmRepository, FluxDriverError } from "./flux";
import { namespaceName, releaseName, type ClusterSpec } from "../cluster-spec";

// A chart checked out beside the portal (VCLUSTER_CHART_REPO may name a local chart directory).
const root = fs.mkdtempSync(path.join(os.tmpdir(), "vcp-helm-test-"));
fs.mkdirSync(path.join(root, "charts", "vcluster-dev"), { recursive: true });

describe("helm driver helpers", () => {
  it("tells local chart directories from repositories", () => {
    expect(isLocalChart("charts/vcluster-dev", root)).toBe(true);
    expect(isLocalChart(path.join(root, "charts/vcluster-dev"))).toBe(true);
    expect(isLocalChart("./charts/x")).toBe(true);
    expect(isLocalChart("https://charts.loft.sh")).toBe(false);
    expect(isLocalChart("oci://ghcr.io/loft-sh/charts")).toBe(false);
    expect(isLocalChart("charts.loft.sh", root)).toBe(false);
  });

  it("builds the chart arguments", () => {
    expect(chartArgs({ repo: "https://charts.loft.sh", name: "vcluster", version: "0.26.0" })).toEqual(["vcluster", "--repo", "https://charts.loft.sh", "--version", "0.26.0"]);
    expect(chartArgs({ repo: "oci://ghcr.io/loft-sh/charts/", name: "vcluster", version: "0.26.0" })).toEqual(["oci://ghcr.io/loft-sh/charts/vcluster", "--version", "0.26.0"]);
    expect(chartArgs({ repo: "charts/vcluster-dev", name: "vcluster", version: "x" }, root)).toEqual([path.join(root, "charts/vcluster-dev")]);
    expect(() => chartArgs({ repo: "./charts/missing", name: "vcluster", version: "x" }, root)).toThrow(/does not exist/);
  });

  it("turns helm's stderr into one readable line", () => {
    const stderr = [
      "WARNING: Kubernetes configuration file is group-readable. This is insecure. Location: /tmp/x",
      'Error: UPGRADE FAILED: create: failed to create: namespaces "vc-a-b" not found',
      "",
    ].join("\n");
    expect(readableHelmError(stderr)).toBe('UPGRADE FAILED: create: failed to create: namespaces "vc-a-b" not found');
    expect(readableHelmError("")).toBe("helm failed without output");
  });
});

describe("flux objects", () => {
  const spec: ClusterSpec = {
    clusterId: "c1",
    teamId: "t1",
    teamSlug: "web",
    name: "dev",
    namespace: namespaceName("web", "dev", "k3x9z"),
    releaseName: releaseName("dev"),
    podSecurityStandard: "baseline",
    isolateNetwork: true,
    cpuMillicores: 1000,
    memoryMiB: 2048,
    templateValuesYaml: "",
    kubernetesVersion: "v1.35.0",
    chart: { repo: "oci://ghcr.io/loft-sh/charts", name: "vcluster", version: "0.36.1" },
    syncerQps: 5,
    syncerBurst: 10,
    exportServer: null,
    annotations: {},
    hostRegistration: "reg-1",
  };

  it("HelmRepository is OCI-typed for oci:// and refuses local paths", () => {
    expect(buildHelmRepository(spec).spec).toEqual({ url: "oci://ghcr.io/loft-sh/charts", interval: "1h", type: "oci" });
    expect(() => buildHelmRepository({ ...spec, chart: { ...spec.chart, repo: "./charts/vcluster-dev" } })).toThrow(FluxDriverError);
  });

  it("HelmRelease points at it and carries the generated values", () => {
    const hr = buildHelmRelease(spec);
    expect(hr.metadata).toMatchObject({ name: "dev", namespace: "vc-web-dev-k3x9z", labels: { "vcluster-portal.dev/cluster-id": "c1" } });
    expect(hr.spec.chart).toEqual({
      spec: { chart: "vcluster", version: "0.36.1", sourceRef: { kind: "HelmRepository", name: "dev-charts", namespace: "vc-web-dev-k3x9z" }, interval: "1h" },
    });
    expect(hr.spec.values).toMatchObject({ policies: { podSecurityStandard: "baseline" } });
    // Flux installs as the tenant namespace's installer ServiceAccount, not with its own identity
    expect(hr.spec.serviceAccountName).toBe("vcluster-portal-installer");
  });
});
