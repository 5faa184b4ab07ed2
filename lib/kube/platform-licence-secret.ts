import type { V1Secret } from "@kubernetes/client-node";
import { PLATFORM_SECRET_NAME, commonLabels, type ClusterSpec } from "./cluster-spec";

/**
 * The licence of a host with vCluster Platform, where the licensed control plane looks for it first after the
 * LICENSE variable: the Secret `vcluster-platform-api-key` of its own namespace, with the keys `vcluster platform
 * add vcluster` writes (pkg/platform/secret.go). Null without a licence.
 */
export function buildPlatformSecret(spec: ClusterSpec): V1Secret | null {
  if (!spec.platform) return null;
  const b64 = (v: string) => Buffer.from(v, "utf8").toString("base64");
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: PLATFORM_SECRET_NAME, namespace: spec.namespace, labels: commonLabels(spec) },
    type: "Opaque",
    data: {
      accessKey: b64(spec.platform.accessKey),
      host: b64(spec.platform.host),
      project: b64(spec.platform.project),
      insecure: b64(String(spec.platform.insecure)),
    },
  };
}
