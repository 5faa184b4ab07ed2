/**
 * Helpers for lib/kube integration tests (*.int.test.ts): the host cluster's kubeconfig, a client for it,
 * unique ClusterSpecs, polling. Test infrastructure only.
 */
import crypto from "node:crypto";
import path from "node:path";
import { KubeConfig } from "@kubernetes/client-node";
import { inject } from "vitest";
import { kubeClientFromConfig, type KubeClient } from "@/lib/kube/client";
import { namespaceName, newNamespaceSuffix, releaseName, type ClusterSpec } from "@/lib/kube/cluster-spec";
import { upCluster } from "../k8s/lifecycle";
import { binDir } from "../k8s/locations";
import { IN_POD_SERVER, type Emulator } from "./emulator";

/**
 * TEST_KUBECONFIG from the integration tier's global setup, or else a local cluster started here:
 * "test" on port base 17400 (override with VCP_KUBE_TEST_CLUSTER=name:portBase to work on the side).
 */
export async function testHostKubeconfig(): Promise<string> {
  const provided = inject("TEST_KUBECONFIG") ?? process.env.TEST_KUBECONFIG;
  if (provided) return provided;
  const [name, base] = (process.env.VCP_KUBE_TEST_CLUSTER ?? "test:17400").split(":");
  const r = await upCluster({ name: name || "test", portBase: Number(base) || 17400 });
  process.env.TEST_KUBECONFIG = r.kubeconfig;
  return r.kubeconfig;
}

export function clientFor(kubeconfig: string | KubeConfig, id = "test-host", qps = 50, burst = 100): KubeClient {
  let kc: KubeConfig;
  if (typeof kubeconfig === "string") {
    kc = new KubeConfig();
    kc.loadFromFile(kubeconfig);
  } else kc = kubeconfig;
  return kubeClientFromConfig(kc, { id, qps, burst });
}

export function helmBin(): string {
  return path.join(binDir(), "helm");
}

/** The local chart repository (real loft-sh/vcluster charts) the integration tier's global setup serves. */
export function testChartRepo(): string {
  const url = inject("TEST_CHART_REPO") ?? process.env.VCLUSTER_CHART_REPO;
  if (!url) throw new Error("no chart repository: run through the integration tier (scripts/testenv/vitest-global-setup.ts serves one)");
  return url;
}

/** The chart version tests install unless they say otherwise (the newest pinned one). */
export const TEST_CHART_VERSION = "0.36.1";

/** A short team slug unique to this test file run, so parallel files never share namespaces. */
export function uniqueTeam(prefix = "it"): string {
  return `${prefix}${crypto.randomBytes(3).toString("hex")}`;
}

export function testSpec(team: string, name: string, over: Partial<ClusterSpec> = {}): ClusterSpec {
  return {
    clusterId: `clu-${name}`,
    teamId: `team-${team}`,
    teamSlug: team,
    name,
    namespace: namespaceName(team, name, newNamespaceSuffix()),
    releaseName: releaseName(name),
    podSecurityStandard: "restricted",
    isolateNetwork: true,
    cpuMillicores: 2000,
    memoryMiB: 4096,
    templateValuesYaml: "controlPlane:\n  backingStore:\n    database:\n      embedded:\n        enabled: true\n",
    kubernetesVersion: "1.36",
    chart: { repo: testChartRepo(), name: "vcluster", version: TEST_CHART_VERSION },
    syncerQps: 10,
    syncerBurst: 20,
    exportServer: null,
    annotations: { "vcluster-portal.dev/test": "true" },
    hostRegistration: `reg-${team}`,
    ...over,
  };
}

export async function waitFor<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs = 60_000, everyMs = 500): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}${last ? `: ${(last as Error).message}` : ""}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/**
 * Loads a kubeconfig the portal handed out and connects it the way a host's ingress would: to the address the
 * emulator really serves the cluster at, while TLS still verifies the name the kubeconfig claims. A kubeconfig
 * naming the in-pod address `https://localhost:8443` (no exportKubeConfig.server) has no route: refused, as a
 * user's kubectl would fail.
 */
export function throughRoute(kubeconfigYaml: string, emulator: Emulator, namespace: string, release: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromString(kubeconfigYaml);
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error("the kubeconfig has no current cluster");
  if (cluster.server === IN_POD_SERVER) throw new Error(`the kubeconfig names ${IN_POD_SERVER}, the address inside the control-plane pod: no route leads there`);
  const route = emulator.route(namespace, release);
  if (!route) throw new Error(`no route to ${namespace}/${release}: its control plane is not served`);
  const host = new URL(cluster.server).hostname;
  kc.clusters = kc.clusters.map((c) => (c.name === cluster.name ? { ...c, server: route, tlsServerName: host } : c));
  return kc;
}
