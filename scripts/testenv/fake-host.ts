// Test support for the reconciler's integration tests — never imported by product code.
// FakeHost: an in-memory host cluster implementing HostOps with the same observable behaviour as lib/kube on
// a real host (namespace terminating, release revisions, StatefulSet readiness after a delay, the kubeconfig
// Secret written once ready), plus switches to inject outages and failures.
import type { DomainContext } from "@/lib/domain/context";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { ClusterSpec } from "@/lib/kube/cluster-spec";
import type { DriverStatus } from "@/lib/kube/drivers/types";
import { KubeError } from "@/lib/kube/errors";
import type { HostOps, HostOpsFactory, Observation } from "@/lib/reconciler/host-ops";
import type { Probe } from "@/lib/reconciler/step-context";

type Sts = { replicas: number; readyAt: number; paused: boolean; pausedReplicas?: number };

export class FakeHost {
  readonly namespaces = new Map<string, { terminatingUntil: number | null }>();
  readonly releases = new Map<string, { revision: number; status: "deployed" | "failed" }>();
  readonly statefulSets = new Map<string, Sts>();
  readonly secrets = new Set<string>();
  /** Synced workload pods per `<namespace>/<release>` (what the syncer would have created). */
  readonly workloadPods = new Map<string, number>();
  /** Every call, in order: "install ns/release", "apply ns", ... */
  readonly calls: string[] = [];
  /** When set, every operation throws it (e.g. an API server outage). */
  outage: Error | null = null;
  /** When set, install throws it (e.g. the chart rejects the values). */
  installError: ((spec: ClusterSpec) => Error | null) | null = null;
  /** Delay between the control plane starting and it being ready. */
  readyDelayMs = 150;
  /** How long a deleted namespace stays Terminating. */
  terminatingMs = 150;
  /** Artificial latency of every operation (widens race windows in concurrency tests). */
  latencyMs = 0;

  private key(spec: ClusterSpec) {
    return `${spec.namespace}/${spec.releaseName}`;
  }

  private async enter(call: string) {
    this.calls.push(call);
    if (this.latencyMs) await new Promise((r) => setTimeout(r, this.latencyMs * (0.5 + Math.random())));
    if (this.outage) throw this.outage;
  }

  private nsState(ns: string): "present" | "absent" | "terminating" {
    const n = this.namespaces.get(ns);
    if (!n) return "absent";
    if (n.terminatingUntil !== null) {
      if (Date.now() >= n.terminatingUntil) {
        this.namespaces.delete(ns);
        for (const k of [...this.releases.keys()]) if (k.startsWith(`${ns}/`)) this.releases.delete(k);
        for (const k of [...this.statefulSets.keys()]) if (k.startsWith(`${ns}/`)) this.statefulSets.delete(k);
        for (const k of [...this.secrets]) if (k.startsWith(`${ns}/`)) this.secrets.delete(k);
        return "absent";
      }
      return "terminating";
    }
    return "present";
  }

  /** Deletes a namespace behind the portal's back (drift). */
  deleteNamespace(ns: string) {
    this.namespaces.set(ns, { terminatingUntil: Date.now() });
    this.nsState(ns);
  }

  ops(): HostOps {
    return {
      observe: async (spec): Promise<Observation> => {
        await this.enter(`observe ${spec.namespace}`);
        const namespace = this.nsState(spec.namespace);
        if (namespace === "absent") return { namespace, controlPlane: null, secretExists: false, paused: false, ready: false };
        const sts = this.statefulSets.get(this.key(spec));
        const readyReplicas = sts && sts.replicas > 0 && Date.now() >= sts.readyAt ? sts.replicas : 0;
        if (sts && readyReplicas > 0) this.secrets.add(this.key(spec));
        const secretExists = this.secrets.has(this.key(spec));
        return {
          namespace,
          controlPlane: sts ? { kind: "StatefulSet", replicas: sts.replicas, readyReplicas, podReplicas: sts.replicas > 0 ? sts.replicas : 0, paused: sts.paused, restoring: false } : null,
          secretExists,
          paused: sts?.paused ?? false,
          ready: namespace === "present" && !!sts && sts.replicas > 0 && readyReplicas >= sts.replicas && secretExists,
        };
      },
      applyHostObjects: async (spec) => {
        await this.enter(`apply ${spec.namespace}`);
        const st = this.nsState(spec.namespace);
        if (st === "terminating") throw new KubeError("Forbidden", `namespace ${spec.namespace} is being terminated`, 403, "Forbidden");
        if (st === "absent") this.namespaces.set(spec.namespace, { terminatingUntil: null });
      },
      install: async (spec) => {
        await this.enter(`install ${this.key(spec)}`);
        if (this.nsState(spec.namespace) !== "present") throw new KubeError("NotFound", `namespaces "${spec.namespace}" not found`, 404, "NotFound");
        const err = this.installError?.(spec);
        const rel = this.releases.get(this.key(spec));
        if (err) {
          this.releases.set(this.key(spec), { revision: (rel?.revision ?? 0) + 1, status: "failed" });
          throw err;
        }
        this.releases.set(this.key(spec), { revision: (rel?.revision ?? 0) + 1, status: "deployed" });
        const sts = this.statefulSets.get(this.key(spec));
        if (!sts) this.statefulSets.set(this.key(spec), { replicas: 1, readyAt: Date.now() + this.readyDelayMs, paused: false });
      },
      releaseStatus: async (spec): Promise<DriverStatus> => {
        await this.enter(`status ${this.key(spec)}`);
        this.nsState(spec.namespace);
        const rel = this.releases.get(this.key(spec));
        if (!rel) return { installed: false, ready: false, message: "no helm release" };
        return rel.status === "deployed" ? { installed: true, ready: true } : { installed: true, ready: false, message: "helm release is failed" };
      },
      sleep: async (spec) => {
        await this.enter(`sleep ${this.key(spec)}`);
        const sts = this.statefulSets.get(this.key(spec));
        if (!sts) return false;
        if (!sts.paused) sts.pausedReplicas = sts.replicas || 1;
        sts.paused = true;
        sts.replicas = 0;
        return true;
      },
      removeWorkloadPods: async (spec) => {
        await this.enter(`remove-workloads ${this.key(spec)}`);
        const n = this.workloadPods.get(this.key(spec)) ?? 0;
        this.workloadPods.delete(this.key(spec));
        return n;
      },
      wake: async (spec) => {
        await this.enter(`wake ${this.key(spec)}`);
        const sts = this.statefulSets.get(this.key(spec));
        if (!sts) return false;
        if (!sts.paused && sts.replicas > 0) return true;
        sts.replicas = sts.pausedReplicas ?? 1;
        sts.paused = false;
        sts.readyAt = Date.now() + this.readyDelayMs;
        return true;
      },
      inventory: async () => {
        await this.enter("inventory");
        for (const ns of [...this.namespaces.keys()]) this.nsState(ns);
        return {
          namespaces: new Set(this.namespaces.keys()),
          controlPlanes: new Map([...this.statefulSets].map(([k, sts]) => [k, { paused: sts.paused, replicas: sts.replicas }])),
        };
      },
      deleteAll: async (spec) => {
        await this.enter(`delete ${this.key(spec)}`);
        const st = this.nsState(spec.namespace);
        this.releases.delete(this.key(spec));
        if (st === "present") this.namespaces.set(spec.namespace, { terminatingUntil: Date.now() + this.terminatingMs });
        return { gone: this.nsState(spec.namespace) === "absent" };
      },
    };
  }

  /** withInventory: false leaves out the bulk read, so the drift sweep observes cluster by cluster. */
  factory({ withInventory = true }: { withInventory?: boolean } = {}): HostOpsFactory {
    const ops = this.ops();
    if (!withInventory) delete ops.inventory;
    return () => ops;
  }

  count(prefix: string): number {
    return this.calls.filter((c) => c.startsWith(prefix)).length;
  }
}

export const unavailable = () => Object.assign(new KubeError("Unavailable", "Kubernetes API unreachable (ECONNREFUSED): connect ECONNREFUSED 127.0.0.1:1", undefined, "ECONNREFUSED"));

/** A fresh team (unique slug → unique namespaces on a shared host) with a roomy quota, and a member + lead. */
export async function createTestTeam(db: PrismaClient, slug: string): Promise<{ teamId: string; member: DomainContext; admin: DomainContext }> {
  const team = await db.team.create({ data: { slug, name: `Team ${slug}`, quota: { create: { maxClusters: 50, cpuMillicores: 100_000, memoryMiB: 200_000, maxLifetimeHours: 720 } } } });
  const member = await db.user.create({ data: { email: `dev@${slug}.example.com`, name: `Dev ${slug}`, memberships: { create: { teamId: team.id, role: "LEAD" } } } });
  const admin = await db.user.findUniqueOrThrow({ where: { email: "admin@example.com" }, include: { memberships: true } });
  return {
    teamId: team.id,
    member: { db, actor: { id: member.id, email: member.email, isAdmin: false, memberships: [{ teamId: team.id, role: "LEAD" }] }, requestId: "test" },
    admin: { db, actor: { id: admin.id, email: admin.email, isAdmin: true, memberships: admin.memberships.map((m) => ({ teamId: m.teamId, role: m.role })) }, requestId: "test" },
  };
}

export async function waitUntil<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs = 30_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
      last = v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}${last instanceof Error ? `: ${last.message}` : ""}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export async function waitForPhase(db: PrismaClient, clusterId: string, phase: string | string[], timeoutMs = 30_000) {
  const want = Array.isArray(phase) ? phase : [phase];
  let lastSeen = "";
  try {
    return await waitUntil(
      `cluster ${clusterId} to be ${want.join("/")}`,
      async () => {
        const c = await db.virtualCluster.findUniqueOrThrow({ where: { id: clusterId } });
        lastSeen = `${c.phase} (attempts ${c.attempts}, lastError ${c.lastError ?? "-"})`;
        return want.includes(c.phase) ? c : null;
      },
      timeoutMs,
      100,
    );
  } catch (e) {
    throw new Error(`${(e as Error).message}; last seen ${lastSeen}`);
  }
}

/** Counts concurrent steps per cluster: a Probe for the worker. */
export class ConcurrencyProbe implements Probe {
  private active = new Map<string, number>();
  maxPerCluster = 0;
  maxTotal = 0;
  steps = 0;
  private total = 0;
  readonly stepStarted = (id: string) => {
    const n = (this.active.get(id) ?? 0) + 1;
    this.active.set(id, n);
    this.total++;
    this.steps++;
    this.maxPerCluster = Math.max(this.maxPerCluster, n);
    this.maxTotal = Math.max(this.maxTotal, this.total);
  };
  readonly stepFinished = (id: string) => {
    this.active.set(id, (this.active.get(id) ?? 1) - 1);
    this.total--;
  };
}
