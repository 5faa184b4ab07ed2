import { can } from "@/lib/authz/permissions";
import type { DomainContext } from "@/lib/domain/context";
import { credentialState, tokenLifetime } from "@/lib/domain/credential-lifetime";
import { loadVisibleCluster } from "@/lib/domain/load-cluster";
import { env } from "@/lib/env";
import type { ClusterPhase, DesiredState } from "@/lib/generated/prisma/enums";
import { allowedCommands } from "@/lib/lifecycle/commands";
import { extendableHours, lifetimeLimitsOf } from "@/lib/lifecycle/lifetime";
import { stateLabel } from "@/lib/lifecycle/phases";
import { formatCpu, formatMemory } from "@/lib/lifecycle/units";

// What the cluster page and GET /api/v1/clusters/[id] show: one JSON-safe shape (dates as ISO strings), so
// the server-rendered page and the polling client island read the same thing.

export type TStepStatus = "done" | "current" | "pending" | "error";
export type TProgressStep = { key: "requested" | "approved" | "namespace" | "release" | "ready"; label: string; status: TStepStatus; detail?: string };

/** moving: the reconciler is at work (poll fast); waiting: on a person (poll slowly); stable: nothing to watch. */
export type TClusterActivity = "moving" | "waiting" | "stable";

/** `people`: those the message names by e-mail (as it was written), with their names, so pages can show names. */
export type TClusterEvent = { id: string; type: string; message: string; createdAt: string; people: TPersonName[] };
export type TPersonName = { email: string; name: string };

export type TClusterStatus = {
  id: string;
  name: string;
  phase: ClusterPhase;
  phaseLabel: string;
  desiredState: DesiredState;
  activity: TClusterActivity;
  team: { id: string; name: string; slug: string };
  owner: { id: string; name: string | null; email: string };
  template: { slug: string; name: string; version: number; approval: "AUTO" | "REQUIRED"; kubernetesVersion: string; maxTtlHours: number; expiryAction: "DELETE" | "SLEEP" };
  parameters: Record<string, unknown>;
  resources: { cpuMillicores: number; memoryMiB: number; label: string };
  namespace: string | null;
  releaseName: string | null;
  hostName: string | null;
  createdAt: string;
  readyAt: string | null;
  expiresAt: string | null;
  lastError: string | null;
  /** Why it was rejected (the decision's reason), when it was. */
  rejection: string | null;
  steps: TProgressStep[];
  /** Oldest first, at most the latest EVENT_LIMIT. */
  events: TClusterEvent[];
  /** What the person may do right now: permission (the shared table) and phase both allow it. */
  allowed: { sleep: boolean; wake: boolean; extend: boolean; delete: boolean; retry: boolean; kubeconfig: boolean; access: boolean; revokeAccess: boolean };
  /** What a kubeconfig downloaded now holds: a personal token valid until then, cut short by the maximum or the cluster's end. */
  kubeconfigValidity: { validUntil: string; boundBy: "maximum" | "cluster" } | null;
  /** The viewer's own credential for this cluster, when they downloaded a kubeconfig of it. */
  yourCredential: { issuedAt: string; expiresAt: string; state: "active" | "expired" | "revoking" | "revoked"; revokedBy: string | null; revokeReason: string | null } | null;
  /** Largest `hours` an extension may ask for now (template max lifetime counted from now). */
  maxExtendHours: number;
  kubeconfigFilename: string;
};

export const EVENT_LIMIT = 50;

type Row = Awaited<ReturnType<typeof loadVisibleCluster>>;
type EventRow = { type: string; message: string };

/** Pure: the step list requested → approved → namespace → release → ready, derived from phase and timeline. */
export function progressSteps(c: { phase: ClusterPhase; lastError: string | null; approval: "AUTO" | "REQUIRED" }, events: EventRow[]): TProgressStep[] {
  // A drift repair starts a new provisioning episode: only what happened since counts for the host steps.
  const lastDrift = events.findLastIndex((e) => e.type === "drift-detected");
  const episode = lastDrift >= 0 ? events.slice(lastDrift + 1) : events;
  const has = (re: RegExp) => events.some((e) => re.test(e.type));
  const hasSince = (type: string) => episode.some((e) => e.type === type);
  const approved = events.findLast((e) => e.type === "approved");
  const rejected = events.findLast((e) => e.type === "rejected");
  const needsApproval = c.approval === "REQUIRED" || has(/^awaiting-approval$/);
  const ready = c.phase === "READY";
  const pastApproval = !["PENDING_APPROVAL", "REJECTED"].includes(c.phase);
  // Step markers written by the reconciler (lib/reconciler/reconcile-cluster.ts); later evidence implies earlier steps.
  const releaseDone = ready || hasSince("release-installed");
  const namespaceDone = releaseDone || hasSince("namespace-created");

  const steps: TProgressStep[] = [
    { key: "requested", label: "Requested", status: "done" },
    {
      key: "approved",
      label: needsApproval ? "Approved" : "Approved automatically",
      status: c.phase === "REJECTED" ? "error" : c.phase === "PENDING_APPROVAL" ? "current" : "done",
      detail: c.phase === "REJECTED" ? rejected?.message : c.phase === "PENDING_APPROVAL" ? "Waiting for an admin to approve" : approved?.message,
    },
    { key: "namespace", label: "Namespace, quota and network policy", status: namespaceDone ? "done" : "pending" },
    { key: "release", label: "vCluster control plane", status: releaseDone ? "done" : "pending" },
    { key: "ready", label: "Ready", status: ready ? "done" : "pending" },
  ];
  if (pastApproval && !ready) {
    const next = steps.find((s) => s.status === "pending");
    if (next) {
      if (c.phase === "FAILED") {
        next.status = "error";
        next.detail = c.lastError ?? "Failed";
      } else if (c.phase === "PROVISIONING") {
        next.status = "current";
        if (c.lastError) next.detail = `Retrying: ${c.lastError}`;
      }
    }
  }
  return steps;
}

export function clusterActivity(c: { phase: ClusterPhase; desiredState: DesiredState }): TClusterActivity {
  if (c.phase === "PROVISIONING" || c.phase === "DELETING") return "moving";
  if (c.phase === "READY" && c.desiredState !== "RUNNING") return "moving";
  if (c.phase === "SLEEPING" && c.desiredState !== "SLEEPING") return "moving";
  if (c.phase === "PENDING_APPROVAL") return "waiting";
  return "stable";
}

type CredentialRow = { issuedAt: Date; expiresAt: Date; revokedAt: Date | null; revocationAppliedAt: Date | null; revokeReason: string | null; revokedBy: { email: string; name: string | null } | null };

export function toClusterStatus(
  ctx: DomainContext,
  c: Row & { owner: TClusterStatus["owner"]; hostCluster: { name: string } | null },
  events: (EventRow & { id: string; createdAt: Date })[],
  credentials: { maxTokenHours?: number; yours?: CredentialRow | null; now?: Date; people?: TPersonName[] } = {},
): TClusterStatus {
  const tv = c.templateVersion;
  const now = credentials.now ?? new Date();
  const yours = credentials.yours ?? null;
  const limits = lifetimeLimitsOf(c);
  const allowed = allowedCommands(ctx.actor, c, limits, now.getTime());
  const extendHours = extendableHours(c.expiresAt, limits, now.getTime());
  const rejected = events.findLast((e) => e.type === "rejected");
  return {
    id: c.id,
    name: c.name,
    phase: c.phase,
    phaseLabel: stateLabel(c),
    desiredState: c.desiredState,
    activity: clusterActivity(c),
    team: { id: c.team.id, name: c.team.name, slug: c.team.slug },
    owner: c.owner,
    template: {
      slug: tv.template.slug,
      name: tv.template.name,
      version: tv.version,
      approval: tv.approval,
      kubernetesVersion: String((c.parameters as Record<string, unknown>)?.kubernetesVersion ?? tv.kubernetesVersion),
      maxTtlHours: tv.maxTtlHours,
      expiryAction: tv.expiryAction,
    },
    parameters: (c.parameters ?? {}) as Record<string, unknown>,
    resources: { cpuMillicores: c.cpuMillicores, memoryMiB: c.memoryMiB, label: `${formatCpu(c.cpuMillicores)} · ${formatMemory(c.memoryMiB)}` },
    namespace: c.namespace,
    releaseName: c.releaseName,
    hostName: c.hostCluster?.name ?? null,
    createdAt: c.createdAt.toISOString(),
    readyAt: c.readyAt?.toISOString() ?? null,
    expiresAt: c.expiresAt?.toISOString() ?? null,
    lastError: c.lastError,
    rejection: c.phase === "REJECTED" && rejected ? rejected.message : null,
    steps: progressSteps({ phase: c.phase, lastError: c.lastError, approval: tv.approval }, events),
    events: events.map((e) => ({ id: e.id, type: e.type, message: e.message, createdAt: e.createdAt.toISOString(), people: (credentials.people ?? []).filter((p) => e.message.includes(p.email)) })),
    allowed: {
      sleep: allowed.sleep,
      wake: allowed.wake,
      extend: allowed.extend,
      delete: allowed.delete,
      retry: allowed.retry,
      // A person whose access a lead or admin revoked is refused by the download; the page says so instead.
      kubeconfig: allowed.kubeconfig && yours?.revokeReason !== "revoked",
      access: can(ctx.actor, "cluster.access.view", { cluster: c }),
      revokeAccess: can(ctx.actor, "cluster.access.revoke", { cluster: c }),
    },
    kubeconfigValidity: kubeconfigValidity(c, credentials.maxTokenHours, now),
    yourCredential: yours
      ? {
          issuedAt: yours.issuedAt.toISOString(),
          expiresAt: yours.expiresAt.toISOString(),
          state: credentialState(yours, now),
          revokedBy: yours.revokeReason === "left-team" ? "left the team" : (yours.revokedBy?.name ?? yours.revokedBy?.email ?? null),
          revokeReason: yours.revokeReason,
        }
      : null,
    maxExtendHours: extendHours,
    kubeconfigFilename: kubeconfigFilename(c.name),
  };
}

export const kubeconfigFilename = (clusterName: string) => `${clusterName}.kubeconfig.yaml`;

function kubeconfigValidity(c: { phase: ClusterPhase; expiresAt: Date | null }, maxTokenHours: number | undefined, now: Date): TClusterStatus["kubeconfigValidity"] {
  if (c.phase !== "READY" || !maxTokenHours) return null;
  const l = tokenLifetime({ now, clusterExpiresAt: c.expiresAt, maxHours: maxTokenHours });
  return l.ok ? { validUntil: l.expiresAt.toISOString(), boundBy: l.boundBy } : null;
}

/** The status of one cluster the actor may see; NOT_FOUND (indistinguishable from absent) otherwise. */
export async function getClusterStatus(ctx: DomainContext, clusterId: string): Promise<TClusterStatus> {
  const cluster = await loadVisibleCluster(ctx.db, ctx, clusterId);
  const [owner, hostCluster, latest, yours] = await Promise.all([
    ctx.db.user.findUniqueOrThrow({ where: { id: cluster.ownerId }, select: { id: true, name: true, email: true } }),
    cluster.hostClusterId ? ctx.db.hostCluster.findUnique({ where: { id: cluster.hostClusterId }, select: { name: true } }) : null,
    ctx.db.clusterEvent.findMany({
      where: { clusterId: cluster.id },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: EVENT_LIMIT,
      select: { id: true, type: true, message: true, createdAt: true },
    }),
    ctx.db.clusterCredential.findUnique({
      where: { clusterId_userId: { clusterId: cluster.id, userId: ctx.actor.id } },
      select: { issuedAt: true, expiresAt: true, revokedAt: true, revocationAppliedAt: true, revokeReason: true, revokedBy: { select: { email: true, name: true } } },
    }),
  ]);
  const people = await namedPeople(ctx, latest.map((e) => e.message));
  return toClusterStatus(ctx, { ...cluster, owner, hostCluster }, latest.reverse(), { maxTokenHours: env().KUBECONFIG_TOKEN_MAX_HOURS, yours, people });
}

const EMAIL = /[^\s@():,']+@[^\s@():,']+\.[A-Za-z]{2,}/g;

/** The people (with a name) whom timeline messages name by e-mail: one query for the whole timeline. */
async function namedPeople(ctx: DomainContext, messages: string[]): Promise<TPersonName[]> {
  const emails = [...new Set(messages.flatMap((m) => m.match(EMAIL) ?? []))];
  if (emails.length === 0) return [];
  const users = await ctx.db.user.findMany({ where: { email: { in: emails } }, select: { email: true, name: true } });
  return users.filter((u): u is TPersonName => Boolean(u.name));
}
