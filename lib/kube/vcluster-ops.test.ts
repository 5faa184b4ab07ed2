import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { namespaceName, releaseName, type ClusterSpec } from "./cluster-spec";
import { KubeconfigNotReadyError, publicServerFor, rewriteKubeconfig } from "./vcluster-kubeconfig";

const spec = { name: "dev", teamSlug: "web", namespace: namespaceName("web", "dev", "k3x9z"), releaseName: releaseName("dev") } as ClusterSpec;

const secretConfig = `
apiVersion: v1
kind: Config
clusters:
  - name: other
    cluster: { server: https://elsewhere:1 }
  - name: my-vcluster
    cluster:
      server: https://localhost:8443
      certificate-authority-data: Q0E=
contexts:
  - name: my-vcluster
    context: { cluster: my-vcluster, user: my-vcluster, namespace: default }
current-context: my-vcluster
users:
  - name: my-vcluster
    user: { client-certificate-data: Q0VSVA==, client-key-data: S0VZ }
`;

describe("kubeconfig rewriting", () => {
  it("fills the endpoint pattern placeholders", () => {
    expect(publicServerFor("https://{release}.{namespace}.{team}.{cluster}.example.com", spec)).toBe("https://dev.vc-web-dev-k3x9z.web.dev.example.com");
    expect(publicServerFor(null, spec)).toBeNull();
  });

  it("keeps the current context's cluster and user, renamed after the cluster, with the public server", () => {
    const out = parse(rewriteKubeconfig(secretConfig, "web-dev", "https://dev.vc.example.com"));
    expect(out).toEqual({
      apiVersion: "v1",
      kind: "Config",
      clusters: [{ name: "web-dev", cluster: { server: "https://dev.vc.example.com", "certificate-authority-data": "Q0E=" } }],
      users: [{ name: "web-dev", user: { "client-certificate-data": "Q0VSVA==", "client-key-data": "S0VZ" } }],
      contexts: [{ name: "web-dev", context: { cluster: "web-dev", user: "web-dev", namespace: "default" } }],
      "current-context": "web-dev",
      preferences: {},
    });
  });

  it("keeps the server when there is no public one; rejects empty configs", () => {
    expect(parse(rewriteKubeconfig(secretConfig, "x", null)).clusters[0].cluster.server).toBe("https://localhost:8443");
    expect(() => rewriteKubeconfig("apiVersion: v1\nkind: Config\n", "x", null)).toThrow(KubeconfigNotReadyError);
  });
});
