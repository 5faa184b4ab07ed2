import { createHash } from "node:crypto";
import { KubeConfig, type AuthenticationV1TokenRequest, type V1ClusterRoleBinding, type V1Namespace, type V1ServiceAccount } from "@kubernetes/client-node";
import { parse, stringify } from "yaml";
import { applyObject, deleteIfExists } from "./apply";
import { hostClient, kubeClientFromConfig, type HostClusterConnection, type KubeClient } from "./client";
import { MANAGED_BY, MANAGED_BY_LABEL, boundName, kubeconfigSecretName, type ClusterSpec } from "./cluster-spec";
import { KubeError, orNull, toKubeError } from "./errors";
import { KubeconfigNotReadyError } from "./vcluster-kubeconfig";

// Per-person credentials inside a virtual cluster (docs/vcluster.md "Kubeconfig", docs/vcluster.md "Per-person
// credentials"). The admin client certificate of Secret `vc-<release>` never leaves the portal: the portal uses it
// to make, inside the virtual cluster, one ServiceAccount per person (namespace vcluster-portal-users, bound by a
// ClusterRoleBinding to the template's role) and a TokenRequest token for it. Deleting the ServiceAccount revokes
// every token issued for it: the API server looks the account up (and compares its UID) on every request, except
// that it keeps a successful check of a token for 10 s (kube-apiserver's built-in token cache).

/** Namespace inside the virtual cluster that holds the people's ServiceAccounts. */
export const USERS_NAMESPACE = "vcluster-portal-users";
/** Label on a person's ServiceAccount and binding: the portal user id (cuid, a valid label value). */
export const USER_ID_LABEL = "vcluster-portal.dev/user-id";
/** E-mail addresses are not valid label values (`@`): an annotation carries the address. */
export const USER_EMAIL_ANNOTATION = "vcluster-portal.dev/user-email";
/** The address vCluster writes into `vc-<release>` when nothing is exported: the control plane's own, in its pod. */
export const IN_POD_SERVER = "https://localhost:8443";

export type PersonRef = { userId: string; email: string };

function sanitize(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/-+/g, "-")
    .replace(/^-+|-+$/g, "");
}

/** `user-<id>` (DNS-1123 label, ≤ 63): stable per person, so a new download reuses the same ServiceAccount. */
export function serviceAccountName(userId: string): string {
  const id = sanitize(userId);
  if (!id) throw new Error(`cannot derive a ServiceAccount name from user id "${userId}"`);
  // Two ids can only meet after sanitizing if one of them changed: then a hash of the original keeps them apart.
  return boundName(id === userId ? `user-${id}` : `user-${id}-${createHash("sha256").update(userId).digest("hex").slice(0, 6)}`, 63);
}

/** The ClusterRoleBinding that gives a person's ServiceAccount the template's role. */
export function bindingName(serviceAccount: string): string {
  return `vcluster-portal:${serviceAccount}`;
}

// ───────────────────────────── the admin credential (portal only) ─────────────────────────────

export type AdminAccess = {
  /** The admin kubeconfig from `vc-<release>` key `config` (client certificate, system:masters). */
  kubeconfig: string;
  /** The server it names: exportKubeConfig.server, else https://localhost:8443. */
  server: string;
  /** Base64 PEM of the virtual cluster's CA (`certificate-authority`, else the kubeconfig's). */
  caData: string;
};

type KubeconfigDoc = {
  clusters?: { name: string; cluster: { server?: string; "certificate-authority-data"?: string } }[];
  contexts?: { name: string; context: { cluster: string } }[];
  "current-context"?: string;
};

/** Reads Secret `vc-<release>` on the host. KubeconfigNotReadyError while vCluster has not written it. */
export async function readAdminAccess(host: KubeClient, spec: ClusterSpec): Promise<AdminAccess> {
  const name = kubeconfigSecretName(spec.releaseName);
  const secret = await orNull(host.core.readNamespacedSecret({ name, namespace: spec.namespace }));
  const raw = secret?.data?.config;
  if (!raw) throw new KubeconfigNotReadyError(`the kubeconfig Secret ${spec.namespace}/${name} does not exist yet`);
  const kubeconfig = Buffer.from(raw, "base64").toString("utf8");
  const doc = parse(kubeconfig) as KubeconfigDoc | null;
  const ctx = doc?.contexts?.find((c) => c.name === doc["current-context"]) ?? doc?.contexts?.[0];
  const cluster = doc?.clusters?.find((c) => c.name === ctx?.context.cluster) ?? doc?.clusters?.[0];
  if (!cluster?.cluster.server) throw new KubeconfigNotReadyError(`the kubeconfig in ${spec.namespace}/${name} names no server`);
  const caPem = secret?.data?.["certificate-authority"];
  const caData = caPem ?? cluster.cluster["certificate-authority-data"];
  if (!caData) throw new KubeconfigNotReadyError(`the Secret ${spec.namespace}/${name} holds no certificate authority`);
  return { kubeconfig, server: cluster.cluster.server, caData };
}

/**
 * How the portal reaches a virtual cluster's API server with the admin credential. Tests route it through the
 * emulator (scripts/vcluster-emulator/testing.ts throughRoute).
 */
export type VirtualClusterConnector = (admin: AdminAccess, spec: ClusterSpec) => KubeConfig;

/**
 * The default: the address vCluster wrote (exportKubeConfig.server, i.e. the host's endpoint pattern — its
 * certificate names it). A cluster that exports nothing names its in-pod address; the portal then uses the
 * Service `https://<release>.<namespace>.svc` (in vCluster's certificate too), which resolves only when the
 * portal runs inside that host cluster — configure an endpoint pattern on hosts the portal reaches from outside.
 */
export const connectDirect: VirtualClusterConnector = (admin, spec) => {
  const kc = new KubeConfig();
  kc.loadFromString(admin.kubeconfig);
  const current = kc.getCurrentCluster();
  if (!current) throw new KubeconfigNotReadyError("the vcluster kubeconfig has no current cluster");
  const server = admin.server === IN_POD_SERVER ? `https://${spec.releaseName}.${spec.namespace}.svc:443` : admin.server;
  kc.clusters = kc.clusters.map((c) => (c.name === current.name ? { ...c, server } : c));
  return kc;
};

/** The virtual cluster refused or did not answer the portal: the person is told to try later. */
export class VirtualClusterUnavailableError extends Error {
  constructor(message: string, cause?: unknown) {
    super(message, { cause });
    this.name = "VirtualClusterUnavailableError";
  }
}

/** The template's role does not exist (yet) in the virtual cluster: a binding to it would grant nothing. */
export class TenantRoleMissingError extends Error {
  constructor(readonly role: string) {
    super(`the ClusterRole "${role}" does not exist in the virtual cluster`);
    this.name = "TenantRoleMissingError";
  }
}

/** Runs calls against the virtual cluster; its outages and refusals become VirtualClusterUnavailableError. */
async function inVirtualCluster<T>(spec: ClusterSpec, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof TenantRoleMissingError) throw e;
    const ke = toKubeError(e);
    if (ke.kind === "Unavailable" || ke.kind === "TooManyRequests" || ke.kind === "Unauthorized")
      throw new VirtualClusterUnavailableError(`the API server of ${spec.namespace}/${spec.releaseName} ${ke.kind === "Unauthorized" ? "refused the portal's admin credential" : "is not answering"}: ${ke.message}`, ke);
    throw ke;
  }
}

// ───────────────────────────── inside the virtual cluster ─────────────────────────────

const portalLabels = (person: PersonRef) => ({ [MANAGED_BY_LABEL]: MANAGED_BY, [USER_ID_LABEL]: sanitize(person.userId).slice(0, 63) });

/**
 * Namespace vcluster-portal-users, the person's ServiceAccount and its ClusterRoleBinding to `role`
 * (server-side apply; a binding to another role is replaced, as roleRef cannot change). Returns the account's name.
 */
export async function ensurePersonalServiceAccount(vc: KubeClient, person: PersonRef, role: string): Promise<string> {
  if (!(await orNull(vc.rbac.readClusterRole({ name: role })))) throw new TenantRoleMissingError(role);
  const sa = serviceAccountName(person.userId);
  const labels = portalLabels(person);
  const annotations = { [USER_EMAIL_ANNOTATION]: person.email };
  const ns: V1Namespace = { apiVersion: "v1", kind: "Namespace", metadata: { name: USERS_NAMESPACE, labels: { [MANAGED_BY_LABEL]: MANAGED_BY } } };
  const account: V1ServiceAccount = { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: sa, namespace: USERS_NAMESPACE, labels, annotations }, automountServiceAccountToken: false };
  const binding: V1ClusterRoleBinding = {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "ClusterRoleBinding",
    metadata: { name: bindingName(sa), labels, annotations },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: role },
    subjects: [{ kind: "ServiceAccount", name: sa, namespace: USERS_NAMESPACE }],
  };
  await applyObject(vc, ns);
  await applyObject(vc, account);
  const existing = await orNull(vc.rbac.readClusterRoleBinding({ name: bindingName(sa) }));
  if (existing && existing.roleRef.name !== role) await deleteIfExists(vc, { apiVersion: binding.apiVersion!, kind: binding.kind!, metadata: { name: bindingName(sa) } });
  await applyObject(vc, binding);
  return sa;
}

/** A TokenRequest for the ServiceAccount, valid `seconds` (the API server's default audience). */
export async function mintToken(vc: KubeClient, serviceAccount: string, seconds: number): Promise<{ token: string; expiresAt: Date | null }> {
  const body: AuthenticationV1TokenRequest = { apiVersion: "authentication.k8s.io/v1", kind: "TokenRequest", spec: { audiences: [], expirationSeconds: seconds } };
  const res = await vc.core.createNamespacedServiceAccountToken({ name: serviceAccount, namespace: USERS_NAMESPACE, body });
  const token = res.status?.token;
  if (!token) throw new KubeError("Unknown", `the TokenRequest for ${USERS_NAMESPACE}/${serviceAccount} returned no token`, undefined, undefined);
  const exp = res.status?.expirationTimestamp;
  return { token, expiresAt: exp ? new Date(exp) : null };
}

/** Deletes the person's binding and ServiceAccount: every token issued for it is refused from now on. */
export async function deletePersonalServiceAccount(vc: KubeClient, serviceAccount: string): Promise<"deleted" | "absent"> {
  await deleteIfExists(vc, { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRoleBinding", metadata: { name: bindingName(serviceAccount) } });
  const sa = await deleteIfExists(vc, { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: serviceAccount, namespace: USERS_NAMESPACE } });
  return sa === "absent" ? "absent" : "deleted";
}

// ───────────────────────────── the kubeconfig a person downloads ─────────────────────────────

/**
 * A person's kubeconfig: the virtual cluster's CA, the public server, and the token — no client certificate.
 * Comments at the top say whose it is and until when it works (kubectl ignores them).
 */
export function personalKubeconfig(k: {
  name: string;
  server: string;
  caData: string;
  token: string;
  expiresAt: Date;
  issuedAt: Date;
  email: string;
  serviceAccount: string;
  role: string;
}): string {
  const doc = {
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: k.name, cluster: { server: k.server, "certificate-authority-data": k.caData } }],
    users: [{ name: k.name, user: { token: k.token } }],
    contexts: [{ name: k.name, context: { cluster: k.name, user: k.name } }],
    "current-context": k.name,
    preferences: {},
  };
  const header = [
    `# Kubeconfig for ${k.name}, issued by vcluster-portal to ${k.email} at ${k.issuedAt.toISOString()}.`,
    `# Personal credential: ServiceAccount ${USERS_NAMESPACE}/${k.serviceAccount} inside the virtual cluster, bound to ClusterRole ${k.role}.`,
    `# Valid until ${k.expiresAt.toISOString()}; download a new one from the portal after that. Do not share it.`,
  ].join("\n");
  return `${header}\n${stringify(doc, { lineWidth: 0 })}`;
}

// ───────────────────────────── what the use cases call ─────────────────────────────

export type IssuedCredential = { serviceAccount: string; token: string; expiresAt: Date | null; server: string; caData: string };

export interface CredentialOps {
  /**
   * Makes sure the person's ServiceAccount exists, bound to `role`, and mints a token valid `seconds`.
   * `replace`: delete an existing ServiceAccount first (a revocation not yet applied), so older tokens die.
   */
  issue(host: HostClusterConnection, spec: ClusterSpec, req: { person: PersonRef; role: string; seconds: number; replace?: boolean }): Promise<IssuedCredential>;
  /** Deletes the ServiceAccount (and binding) in the virtual cluster. */
  revoke(host: HostClusterConnection, spec: ClusterSpec, serviceAccount: string): Promise<"deleted" | "absent">;
}

/** lib/kube for real: the host's client reads `vc-<release>`, `connect` reaches the virtual API server. */
export function kubeCredentialOps(opts: { connect?: VirtualClusterConnector; hostClientFor?: (host: HostClusterConnection) => KubeClient } = {}): CredentialOps {
  const connect = opts.connect ?? connectDirect;
  const hostFor = opts.hostClientFor ?? hostClient;
  const open = async (host: HostClusterConnection, spec: ClusterSpec) => {
    const admin = await readAdminAccess(hostFor(host), spec);
    // A person waits on a download: a virtual cluster that does not answer within 10 s is reported as such.
    const vc = kubeClientFromConfig(connect(admin, spec), { id: `vcluster:${spec.namespace}/${spec.releaseName}`, qps: 10, burst: 20, timeoutMs: 10_000 });
    return { admin, vc };
  };
  return {
    async issue(host, spec, { person, role, seconds, replace }) {
      const { admin, vc } = await open(host, spec);
      return inVirtualCluster(spec, async () => {
        if (replace) await deletePersonalServiceAccount(vc, serviceAccountName(person.userId));
        const serviceAccount = await ensurePersonalServiceAccount(vc, person, role);
        const { token, expiresAt } = await mintToken(vc, serviceAccount, seconds);
        return { serviceAccount, token, expiresAt, server: admin.server, caData: admin.caData };
      });
    },
    async revoke(host, spec, serviceAccount) {
      const { vc } = await open(host, spec);
      return inVirtualCluster(spec, () => deletePersonalServiceAccount(vc, serviceAccount));
    },
  };
}
