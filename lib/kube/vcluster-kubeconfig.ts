import { parse, stringify } from "yaml";
import type { KubeClient } from "./client";
import { kubeconfigSecretName, type ClusterSpec } from "./cluster-spec";
import { orNull } from "./errors";

// The admin kubeconfig vCluster writes into Secret `vc-<release>` (key `config`): read by the portal for its own
// use only (lib/kube/vcluster-credentials.ts mints per-person credentials with it), and rewritten to name the
// cluster's public endpoint.

/** Fills HostCluster.endpointPattern's {release} {namespace} {cluster} {team} placeholders; null without a pattern. */
export function publicServerFor(endpointPattern: string | null | undefined, spec: ClusterSpec): string | null {
  if (!endpointPattern) return null;
  const values: Record<string, string> = { release: spec.releaseName, namespace: spec.namespace, cluster: spec.name, team: spec.teamSlug };
  return endpointPattern.replace(/\{(release|namespace|cluster|team)\}/g, (_, k: string) => values[k]!);
}

export class KubeconfigNotReadyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "KubeconfigNotReadyError";
  }
}

type KubeconfigDoc = {
  clusters?: { name: string; cluster: Record<string, unknown> }[];
  users?: { name: string; user: Record<string, unknown> }[];
  contexts?: { name: string; context: { cluster: string; user: string; namespace?: string } }[];
  "current-context"?: string;
};

/**
 * The virtual cluster's admin kubeconfig from Secret `vc-<release>` key `config`, with every cluster's server
 * set to `publicServer` (else spec.exportServer, else kept), and cluster/user/context named `<team>-<name>`.
 * Returned as YAML; never cached. For the portal's own use and tests only: people download a kubeconfig with a
 * token of their own (lib/kube/vcluster-credentials.ts), never this admin certificate.
 */
export async function readKubeconfig(client: KubeClient, spec: ClusterSpec, publicServer: string | null): Promise<string> {
  const secret = await orNull(client.core.readNamespacedSecret({ name: kubeconfigSecretName(spec.releaseName), namespace: spec.namespace }));
  const raw = secret?.data?.config;
  if (!raw) throw new KubeconfigNotReadyError(`the kubeconfig Secret ${spec.namespace}/${kubeconfigSecretName(spec.releaseName)} does not exist yet`);
  return rewriteKubeconfig(Buffer.from(raw, "base64").toString("utf8"), `${spec.teamSlug}-${spec.name}`, publicServer ?? spec.exportServer);
}

/** Pure part of readKubeconfig: keeps the current context's cluster and user, renames them, sets the server. */
export function rewriteKubeconfig(text: string, name: string, server: string | null): string {
  const doc = parse(text) as KubeconfigDoc | null;
  if (!doc || !Array.isArray(doc.clusters) || !doc.clusters.length) throw new KubeconfigNotReadyError("the vcluster kubeconfig has no clusters");
  const ctx = doc.contexts?.find((c) => c.name === doc["current-context"]) ?? doc.contexts?.[0];
  const cluster = doc.clusters.find((c) => c.name === ctx?.context.cluster) ?? doc.clusters[0]!;
  const user = doc.users?.find((u) => u.name === ctx?.context.user) ?? doc.users?.[0];
  const out = {
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name, cluster: { ...cluster.cluster, ...(server ? { server } : {}) } }],
    users: [{ name, user: user?.user ?? {} }],
    contexts: [{ name, context: { cluster: name, user: name, ...(ctx?.context.namespace ? { namespace: ctx.context.namespace } : {}) } }],
    "current-context": name,
    preferences: {},
  };
  return stringify(out, { lineWidth: 0 });
}
