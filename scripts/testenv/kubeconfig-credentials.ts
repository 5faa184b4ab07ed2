// Shared setup of the per-person kubeconfig tests (lib/domain/download-kubeconfig*.int.test.ts,
// lib/domain/revoke-cluster-access.int.test.ts): the seeded database, the people in it, clusters put in a phase
// without a host, and a CredentialOps that records what the portal asks of a virtual cluster that is not there.
import { afterAll, beforeAll } from "vitest";
import type { PrismaClient, VirtualCluster } from "@/lib/generated/prisma/client";
import { requestCluster } from "@/lib/domain/request-cluster";
import { deleteIfExists } from "@/lib/kube/apply";
import type { KubeClient } from "@/lib/kube/client";
import { type CredentialOps, VirtualClusterUnavailableError, serviceAccountName } from "@/lib/kube/vcluster-credentials";
import { log } from "@/lib/log";
import { clientFor } from "@/scripts/vcluster-emulator/testing";
import { actorContext } from "./domain-actors";
import { testKubeconfig, testNamespacePrefix, useTestDatabase } from "./per-file";

/** How the IdP's groups map to the portal (lib/auth/sync-groups.ts). */
export const IDP_GROUPS = { adminGroup: "vcluster-portal-admins", teamPrefix: "team:" };
export const quietLog = log.child({}, { level: "silent" });

/** A virtual cluster that is not there: records what the portal asks of it. */
export class FakeCredentialOps implements CredentialOps {
  issued: { namespace: string; email: string; role: string; seconds: number; replace: boolean }[] = [];
  revoked: string[] = [];
  down = false;
  /** Runs while a token is being minted (to interleave a revocation). */
  duringIssue: (() => Promise<void>) | null = null;
  private n = 0;
  async issue(...[, spec, req]: Parameters<CredentialOps["issue"]>) {
    if (this.down) throw new VirtualClusterUnavailableError("not answering");
    this.issued.push({ namespace: spec.namespace, email: req.person.email, role: req.role, seconds: req.seconds, replace: Boolean(req.replace) });
    await this.duringIssue?.();
    return { serviceAccount: serviceAccountName(req.person.userId), token: `token-${++this.n}`, expiresAt: null, server: "https://localhost:8443", caData: "Q0EK" };
  }
  async revoke(...[, spec, serviceAccount]: Parameters<CredentialOps["revoke"]>) {
    if (this.down) throw new VirtualClusterUnavailableError("not answering");
    this.revoked.push(`${spec.namespace}/${serviceAccount}`);
    return "deleted" as const;
  }
}

export interface CredentialSuite {
  readonly prisma: PrismaClient;
  /** The local host cluster `test`, admin. */
  readonly kube: KubeClient;
  /** Seeded team ids by slug. */
  readonly teams: Record<string, string>;
  /** A signed-in person, as the server actions see them (request id req-<email>, ip 203.0.113.7). */
  ctxFor(email: string): ReturnType<typeof actorContext>;
  /** A Sandbox of Payments owned by dev.payments, put in `phase` on a namespace of this test file (no host objects). */
  clusterIn(name: string, phase: "READY" | "PROVISIONING" | "SLEEPING", expiresAt?: Date): Promise<VirtualCluster>;
  /** Namespaces to delete from the host after the file (clusterIn's are added by it). */
  cleanUpNamespace(name: string): void;
  audits(action: string, clusterId: string): ReturnType<PrismaClient["auditEvent"]["findMany"]>;
  credentialOf(clusterId: string, email: string): ReturnType<PrismaClient["clusterCredential"]["findFirstOrThrow"]>;
}

/** Call at the top level of a test file: its database, the KUBECONFIG the seeded host "local" reaches, and the hooks. */
export function setUpKubeconfigCredentials(): CredentialSuite {
  // The seeded host "local" is a LOCAL connection: it reaches the cluster named by KUBECONFIG (read once by env()).
  process.env.KUBECONFIG = testKubeconfig();
  const testDb = useTestDatabase({ seeded: true });
  let kube: KubeClient | undefined;
  const teams: Record<string, string> = {};
  const namespaces: string[] = [];

  const suite: CredentialSuite = {
    get prisma() {
      return testDb.prisma();
    },
    get kube() {
      if (!kube) throw new Error("setUpKubeconfigCredentials(): only available in tests and hooks (after beforeAll ran)");
      return kube;
    },
    teams,
    ctxFor: (email) => actorContext(suite.prisma, email, { requestId: `req-${email}`, ip: "203.0.113.7" }),
    async clusterIn(name, phase, expiresAt) {
      const c = await requestCluster(await suite.ctxFor("dev.payments@example.com"), { teamId: teams.payments!, templateSlug: "sandbox", name });
      const namespace = `${testNamespacePrefix()}-${name}`;
      namespaces.push(namespace);
      return suite.prisma.virtualCluster.update({
        where: { id: c.id },
        data: { phase, namespace, readyAt: phase === "READY" ? new Date() : null, ...(expiresAt ? { expiresAt } : {}) },
      });
    },
    cleanUpNamespace: (name) => void namespaces.push(name),
    audits: (action, clusterId) => suite.prisma.auditEvent.findMany({ where: { action, targetId: clusterId }, orderBy: { createdAt: "asc" } }),
    credentialOf: (clusterId, email) => suite.prisma.clusterCredential.findFirstOrThrow({ where: { clusterId, user: { email } } }),
  };

  beforeAll(async () => {
    kube = clientFor(testKubeconfig());
    for (const t of await suite.prisma.team.findMany()) teams[t.slug] = t.id;
    // Room for the dozen clusters of the database-level cases.
    await suite.prisma.teamQuota.update({ where: { teamId: teams.payments! }, data: { maxClusters: 50, cpuMillicores: 100_000, memoryMiB: 400_000 } });
  });

  afterAll(async () => {
    await Promise.all(namespaces.map((name) => deleteIfExists(suite.kube, { apiVersion: "v1", kind: "Namespace", metadata: { name } }).catch(() => {})));
  });

  return suite;
}
