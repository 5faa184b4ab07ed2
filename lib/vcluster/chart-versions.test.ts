import { describe, expect, it } from "vitest";
import {
  defaultKubernetesImageTag,
  imageTagFor,
  isSupportedChartVersion,
  kubernetesImageTags,
  kubernetesMinorVersions,
  SUPPORTED_CHART_VERSIONS,
  unsupportedChartVersionMessage,
} from "./chart-versions";

describe("supported vCluster chart versions", () => {
  it("knows exactly 0.30.0 and 0.36.1", () => {
    expect(SUPPORTED_CHART_VERSIONS).toEqual(["0.30.0", "0.36.1"]);
    expect(isSupportedChartVersion("0.36.1")).toBe(true);
    expect(isSupportedChartVersion("0.99.0")).toBe(false);
    expect(isSupportedChartVersion("v0.30.0")).toBe(false);
    expect(unsupportedChartVersionMessage("0.99.0")).toBe("vCluster chart 0.99.0 is not supported here; supported: 0.30.0, 0.36.1");
  });

  it("offers the chart's default Kubernetes image and the two previous minors, newest first", () => {
    expect(kubernetesImageTags("0.30.0")).toEqual(["v1.34.0", "v1.33.4", "v1.32.1"]);
    expect(kubernetesImageTags("0.36.1")).toEqual(["v1.36.0", "v1.35.0", "v1.34.0"]);
    expect(defaultKubernetesImageTag("0.30.0")).toBe("v1.34.0");
    expect(defaultKubernetesImageTag("0.36.1")).toBe("v1.36.0");
    expect(kubernetesMinorVersions("0.36.1")).toEqual(["1.36", "1.35", "1.34"]);
    expect(kubernetesImageTags("0.99.0")).toEqual([]);
    expect(defaultKubernetesImageTag("0.99.0")).toBeNull();
  });

  it("maps a Kubernetes version written as minor, full version or tag to the image tag", () => {
    for (const written of ["1.36", "1.36.0", "v1.36.0", " 1.36 "]) expect(imageTagFor("0.36.1", written)).toBe("v1.36.0");
    expect(imageTagFor("0.30.0", "1.33")).toBe("v1.33.4");
    expect(imageTagFor("0.30.0", "v1.33.4")).toBe("v1.33.4");
  });

  it("returns null for versions the chart does not ship", () => {
    expect(imageTagFor("0.30.0", "1.36")).toBeNull(); // newer than the chart
    expect(imageTagFor("0.36.1", "1.31")).toBeNull(); // older than the window offered
    expect(imageTagFor("0.36.1", "1.36.1")).toBeNull(); // a patch we have no evidence of
    expect(imageTagFor("0.30.0", "1.33.0")).toBeNull();
    expect(imageTagFor("0.99.0", "1.36")).toBeNull();
    expect(imageTagFor("0.36.1", "latest")).toBeNull();
  });
});
