import { describe, expect, it } from "vitest";
import { encryptHostPlatformKey } from "@/lib/crypto/secret-box";
import { SpecError, exportServerFor, specFromRow, type ClusterRow } from "@/lib/domain/spec-from-row";

const defaults = { chartRepo: "https://charts.loft.sh", chartName: "vcluster" };

function row(over: Partial<ClusterRow> = {}, host: Partial<NonNullable<ClusterRow["hostCluster"]>> = {}, tv: Partial<ClusterRow["templateVersion"]> = {}): ClusterRow {
  const now = new Date("2026-01-01T00:00:00Z");
  return {
    id: "c1",
    name: "demo",
    teamId: "t1",
    ownerId: "u1",
    templateVersionId: "tv1",
    parameters: { size: "small", kubernetesVersion: "1.35" },
    cpuMillicores: 1000,
    memoryMiB: 2048,
    hostClusterId: "h1",
    namespace: "vc-payments-demo",
    releaseName: "demo",
    phase: "PROVISIONING",
    desiredState: "RUNNING",
    generation: 1,
    observedGeneration: 0,
    expiresAt: null,
    lastError: null,
    nextReconcileAt: now,
    leaseOwner: null,
    leaseUntil: null,
    attempts: 0,
    readyAt: null,
    expiredAt: null,
    deletedAt: null,
    createdAt: now,
    updatedAt: now,
    team: { id: "t1", slug: "payments" },
    templateVersion: {
      id: "tv1",
      templateId: "tpl1",
      version: 3,
      description: "",
      kubernetesVersion: "1.36",
      chartVersion: "0.30.0",
      valuesYaml: "controlPlane: {}\n",
      parameters: [],
      cpuMillicores: 1000,
      memoryMiB: 2048,
      defaultTtlHours: 8,
      maxTtlHours: 24,
      approval: "AUTO",
      expiryAction: "DELETE",
      podSecurityStandard: "baseline",
      isolateNetwork: true,
      deprecated: false,
      createdById: null,
      createdAt: now,
      template: { slug: "sandbox", name: "Sandbox" },
      ...tv,
    },
    hostCluster: {
      id: "h1",
      name: "local",
      connection: "LOCAL",
      kubeconfigEncrypted: null,
      endpointPattern: null,
      labels: {},
      capacityCpuMillicores: 32000,
      capacityMemoryMiB: 131072,
      maxClusters: 200,
      clientQps: 20,
      clientBurst: 40,
      driver: "helm",
      chartRepo: null,
      enabled: true,
      registrationId: "5b0d7c1e-2f4a-4c8e-b1d2-9a7e6f3c0d11",
      platformHost: null,
      platformProject: null,
      platformInsecure: false,
      platformAccessKeyEncrypted: null,
      createdAt: now,
      updatedAt: now,
      ...host,
    },
    ...over,
  } as ClusterRow;
}

describe("specFromRow", () => {
  it("maps the rows to the spec lib/kube works with", () => {
    expect(specFromRow(row(), defaults)).toEqual({
      clusterId: "c1",
      teamId: "t1",
      teamSlug: "payments",
      name: "demo",
      namespace: "vc-payments-demo",
      releaseName: "demo",
      podSecurityStandard: "baseline",
      isolateNetwork: true,
      cpuMillicores: 1000,
      memoryMiB: 2048,
      templateValuesYaml: "controlPlane: {}\n",
      kubernetesVersion: "1.35",
      chart: { repo: "https://charts.loft.sh", name: "vcluster", version: "0.30.0" },
      syncerQps: 20,
      syncerBurst: 40,
      exportServer: null,
      annotations: { "vcluster-portal.dev/template": "sandbox@3" },
      hostRegistration: "5b0d7c1e-2f4a-4c8e-b1d2-9a7e6f3c0d11",
      platform: null,
    });
  });

  it("carries the host's licence with its access key decrypted; one that cannot be read stops the spec, not a deletion", () => {
    const licensed = { platformHost: "platform.example.com", platformProject: "payments", platformInsecure: true, platformAccessKeyEncrypted: encryptHostPlatformKey("h1", "key-123") };
    expect(specFromRow(row({}, licensed), defaults).platform).toEqual({ host: "platform.example.com", accessKey: "key-123", project: "payments", insecure: true });
    // Bound to its row: the same ciphertext copied onto another host does not decrypt.
    const copied = row({}, { ...licensed, id: "h2" });
    expect(() => specFromRow(copied, defaults)).toThrow(/access key of host local cannot be read.*set the licence again/);
    expect(specFromRow(copied, defaults, { forDeletion: true }).platform).toBeNull();
  });

  it("prefers the host's chart repo and endpoint pattern, and falls back to the template's Kubernetes version", () => {
    const spec = specFromRow(row({ parameters: {} }, { chartRepo: "charts/vcluster", endpointPattern: "https://{release}.{namespace}.{host}.example.com/" }), defaults);
    expect(spec.chart.repo).toBe("charts/vcluster");
    expect(spec.exportServer).toBe("https://demo.vc-payments-demo.local.example.com");
    expect(spec.kubernetesVersion).toBe("1.36");
  });

  it("derives the release when the row has none; a row without a namespace describes no cluster", () => {
    const spec = specFromRow(row({ releaseName: null, name: "9lives" }), defaults);
    expect(spec.releaseName).toBe("vc-9lives");
    expect(() => specFromRow(row({ namespace: null }), defaults)).toThrow(/no host namespace/);
  });

  it("refuses rows that cannot describe a cluster", () => {
    expect(() => specFromRow(row({ hostCluster: null, hostClusterId: null }), defaults)).toThrow(SpecError);
    expect(() => specFromRow(row({}, {}, { podSecurityStandard: "lax" }), defaults)).toThrow(/pod security standard "lax"/);
    expect(() => specFromRow(row({}, { endpointPattern: "not a url {release}" }), defaults)).toThrow(/endpoint pattern/);
  });

  it("lets a cluster override the syncer limits with positive integers only", () => {
    expect(specFromRow(row({ parameters: { syncerQps: 5, syncerBurst: "9" } }), defaults)).toMatchObject({ syncerQps: 5, syncerBurst: 9 });
    expect(specFromRow(row({ parameters: { syncerQps: -1, syncerBurst: 1.5 } }), defaults)).toMatchObject({ syncerQps: 20, syncerBurst: 40 });
  });
});

describe("exportServerFor", () => {
  it("fills the same placeholders as lib/kube publicServerFor", () => {
    expect(exportServerFor("https://{cluster}.{team}.vc.example.com:8443", { release: "r", namespace: "ns", cluster: "c", team: "t", host: "h" })).toBe("https://c.t.vc.example.com:8443");
    expect(exportServerFor("https://{name}.example.com", { release: "r", namespace: "ns", cluster: "c", team: "t", host: "h" })).toBe("https://c.example.com");
    expect(exportServerFor(null, { release: "r", namespace: "ns", cluster: "c", team: "t", host: "h" })).toBeNull();
    expect(exportServerFor("  ", { release: "r", namespace: "ns", cluster: "c", team: "t", host: "h" })).toBeNull();
  });
});
