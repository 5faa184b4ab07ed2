import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import type { ClusterSpec } from "./cluster-spec";
import { IN_POD_SERVER, USERS_NAMESPACE, bindingName, connectDirect, personalKubeconfig, serviceAccountName } from "./vcluster-credentials";

const spec = { namespace: "vc-payments-dev-abc12", releaseName: "dev" } as ClusterSpec;
const adminKubeconfig = (server: string) => `apiVersion: v1
kind: Config
clusters: [{ name: vc, cluster: { server: "${server}", certificate-authority-data: Q0EK } }]
contexts: [{ name: vc, context: { cluster: vc, user: vc } }]
current-context: vc
users: [{ name: vc, user: { client-certificate-data: Q0VSVAo=, client-key-data: S0VZCg== } }]
`;

describe("serviceAccountName", () => {
  it("is user-<id> for a cuid, stable, a DNS-1123 label", () => {
    expect(serviceAccountName("cmi5x0a1b0000abcd1234efgh")).toBe("user-cmi5x0a1b0000abcd1234efgh");
    expect(serviceAccountName("cmi5x0a1b0000abcd1234efgh")).toBe(serviceAccountName("cmi5x0a1b0000abcd1234efgh"));
    expect(bindingName("user-x")).toBe("vcluster-portal:user-x");
  });

  it("keeps ids apart that only differ in what a name cannot hold, and stays within 63 characters", () => {
    const a = serviceAccountName("User_A");
    const b = serviceAccountName("user-a");
    expect(a).not.toBe(b);
    for (const n of [a, b, serviceAccountName("x".repeat(200))]) {
      expect(n).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
      expect(n.length).toBeLessThanOrEqual(63);
    }
  });
});

describe("personalKubeconfig", () => {
  it("holds the token, CA and server — no client certificate — and says whose it is and until when", () => {
    const text = personalKubeconfig({
      name: "payments-dev",
      server: "https://dev.vc.example.com",
      caData: "Q0EK",
      token: "eyJ.token.sig",
      expiresAt: new Date("2026-12-02T10:00:00Z"),
      issuedAt: new Date("2026-12-01T10:00:00Z"),
      email: "dana@example.com",
      serviceAccount: "user-abc",
      role: "edit",
    });
    expect(text.split("\n").slice(0, 3).join("\n")).toMatch(/dana@example\.com.*\n.*ServiceAccount vcluster-portal-users\/user-abc .* ClusterRole edit.*\n# Valid until 2026-12-02T10:00:00\.000Z/);
    const doc = parse(text);
    expect(doc).toEqual({
      apiVersion: "v1",
      kind: "Config",
      clusters: [{ name: "payments-dev", cluster: { server: "https://dev.vc.example.com", "certificate-authority-data": "Q0EK" } }],
      users: [{ name: "payments-dev", user: { token: "eyJ.token.sig" } }],
      contexts: [{ name: "payments-dev", context: { cluster: "payments-dev", user: "payments-dev" } }],
      "current-context": "payments-dev",
      preferences: {},
    });
    expect(USERS_NAMESPACE).toBe("vcluster-portal-users");
  });
});

describe("connectDirect", () => {
  it("uses the address vCluster exported", () => {
    const kc = connectDirect({ kubeconfig: adminKubeconfig("https://dev.vc.example.com"), server: "https://dev.vc.example.com", caData: "Q0EK" }, spec);
    expect(kc.getCurrentCluster()?.server).toBe("https://dev.vc.example.com");
  });

  it("reaches a cluster that exports nothing through its Service (inside the host cluster), not the in-pod address", () => {
    const kc = connectDirect({ kubeconfig: adminKubeconfig(IN_POD_SERVER), server: IN_POD_SERVER, caData: "Q0EK" }, spec);
    expect(kc.getCurrentCluster()?.server).toBe("https://dev.vc-payments-dev-abc12.svc:443");
  });
});
