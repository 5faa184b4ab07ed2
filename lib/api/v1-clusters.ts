// The /api/v1 cluster shapes (docs/api.md "Objects"): zod schemas, and the functions that build each body
// from the use cases' results typed by those schemas, so a response cannot drift from what the OpenAPI
// document (lib/api/openapi.ts) says. The cluster page polls GET /api/v1/clusters/{id} too
// (lib/queries/clusters.ts), so the Cluster carries everything the page shows.
import { z } from "zod";
import type { TClusterStatus } from "@/lib/domain/get-cluster-detail";
import type { TClusterSummary } from "@/lib/domain/list-my-clusters";
import { ApprovalMode, ClusterPhase, DesiredState, ExpiryAction } from "@/lib/generated/prisma/enums";

const ZTimestamp = z.iso.datetime().meta({ description: "ISO 8601, UTC" });
const ZPhase = z.enum(ClusterPhase).meta({ description: "Where the cluster is: the reconciler moves it toward desiredState." });
const ZTeamRef = z.object({ id: z.string(), slug: z.string(), name: z.string() });
const ZPerson = z.object({ id: z.string(), email: z.string(), name: z.string().nullable() });

export const ZClusterSummary = z
  .object({
    id: z.string(),
    name: z.string(),
    phase: ZPhase,
    phaseLabel: z.string().meta({ description: "The phase in words, e.g. Ready" }),
    team: ZTeamRef,
    template: z.object({ slug: z.string(), name: z.string() }),
    owner: ZPerson,
    isMine: z.boolean().meta({ description: "The caller owns it" }),
    createdAt: ZTimestamp,
    expiresAt: ZTimestamp.nullable(),
    lastError: z.string().nullable(),
    ended: z.boolean().meta({ description: "Deleted, expired or rejected (listed for a day after it ended)" }),
  })
  .meta({ description: "A cluster in a list." });

export const ZClusterList = z.object({ clusters: z.array(ZClusterSummary) }).meta({ description: "The caller's clusters and their teams' clusters: live ones and those that ended in the last 24 hours." });

const ZStep = z.object({
  key: z.enum(["requested", "approved", "namespace", "release", "ready"]),
  label: z.string(),
  status: z.enum(["done", "current", "pending", "error"]),
  detail: z.string().optional(),
});

export const ZCluster = z
  .object({
    id: z.string(),
    name: z.string(),
    phase: ZPhase,
    phaseLabel: z.string().meta({ description: "The phase in words, e.g. Ready" }),
    desiredState: z.enum(DesiredState).meta({ description: "What was asked for; phase catches up as the reconciler works." }),
    activity: z.enum(["moving", "waiting", "stable"]).meta({ description: "moving: the reconciler is at work (poll every few seconds); waiting: on a person; stable: nothing to watch." }),
    team: ZTeamRef,
    owner: ZPerson,
    template: z.object({
      slug: z.string(),
      name: z.string(),
      version: z.number().int(),
      approval: z.enum(ApprovalMode),
      kubernetesVersion: z.string(),
      maxTtlHours: z.number().int(),
      expiryAction: z.enum(ExpiryAction),
    }),
    parameters: z.record(z.string(), z.unknown()).meta({ description: "The template parameters it was requested with" }),
    resources: z.object({ cpuMillicores: z.number().int(), memoryMiB: z.number().int(), label: z.string() }),
    namespace: z.string().nullable(),
    releaseName: z.string().nullable(),
    hostName: z.string().nullable(),
    createdAt: ZTimestamp,
    readyAt: ZTimestamp.nullable(),
    expiresAt: ZTimestamp.nullable(),
    lastError: z.string().nullable(),
    rejection: z.string().nullable().meta({ description: "Why it was rejected, when it was" }),
    steps: z.array(ZStep).meta({ description: "Progress: requested → approved → namespace → release → ready" }),
    events: z
      .array(
        z.object({
          id: z.string(),
          type: z.string(),
          message: z.string(),
          createdAt: ZTimestamp,
          people: z.array(z.object({ email: z.string(), name: z.string() })).meta({ description: "The people the message names by e-mail, with their names" }),
        }),
      )
      .meta({ description: "Timeline, oldest first (the latest 50)" }),
    allowed: z
      .object({ sleep: z.boolean(), wake: z.boolean(), extend: z.boolean(), delete: z.boolean(), retry: z.boolean(), kubeconfig: z.boolean(), access: z.boolean(), revokeAccess: z.boolean() })
      .meta({ description: "What the caller may do right now (permission and phase)" }),
    kubeconfigValidity: z
      .object({ validUntil: ZTimestamp, boundBy: z.enum(["maximum", "cluster"]) })
      .nullable()
      .meta({ description: "Until when a kubeconfig downloaded now works; null unless READY" }),
    yourCredential: z
      .object({
        issuedAt: ZTimestamp,
        expiresAt: ZTimestamp,
        state: z.enum(["active", "expired", "revoking", "revoked"]),
        revokedBy: z.string().nullable(),
        revokeReason: z.string().nullable(),
      })
      .nullable()
      .meta({ description: "The caller's own credential for this cluster, once they downloaded a kubeconfig" }),
    maxExtendHours: z.number().int().meta({ description: "Largest extension, in hours, possible now" }),
    kubeconfigFilename: z.string(),
  })
  .meta({ description: "One cluster, as the caller sees it; also the answer of every change." });

export type V1ClusterSummary = z.output<typeof ZClusterSummary>;
export type V1Cluster = z.output<typeof ZCluster>;

export const ZCreateClusterBody = z
  .object({
    team: z.string({ error: "The team's slug, e.g. payments" }).trim().min(1, "The team's slug, e.g. payments").meta({ description: "The team's slug" }),
    template: z.string({ error: "The template's slug, e.g. sandbox" }).trim().min(1, "The template's slug, e.g. sandbox").meta({ description: "The template's slug" }),
    templateVersion: z.number().int().positive().optional().meta({ description: "Default: the latest version that is not deprecated" }),
    name: z.string({ error: "A cluster name (lowercase letters, digits and '-')" }).meta({ description: "A DNS-1123 label, unique among the team's live clusters" }),
    parameters: z.record(z.string(), z.unknown()).optional().meta({ description: "The template's parameters, e.g. size, kubernetesVersion, ttlHours" }),
  })
  .meta({ description: "A cluster request." });

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toV1Summary(c: TClusterSummary): V1ClusterSummary {
  return {
    id: c.id,
    name: c.name,
    phase: c.phase,
    phaseLabel: c.phaseLabel,
    team: { id: c.team.id, slug: c.team.slug, name: c.team.name },
    template: { slug: c.templateSlug, name: c.templateName },
    owner: { id: c.owner.id, email: c.owner.email, name: c.owner.name },
    isMine: c.isMine,
    createdAt: c.createdAt.toISOString(),
    expiresAt: iso(c.expiresAt),
    lastError: c.lastError,
    ended: c.ended,
  };
}

/** Field by field, so a field the page's status gains reaches the API only once the schema above has it. */
export function toV1Cluster(s: TClusterStatus): V1Cluster {
  const t = s.template;
  const y = s.yourCredential;
  return {
    id: s.id,
    name: s.name,
    phase: s.phase,
    phaseLabel: s.phaseLabel,
    desiredState: s.desiredState,
    activity: s.activity,
    team: { id: s.team.id, slug: s.team.slug, name: s.team.name },
    owner: { id: s.owner.id, email: s.owner.email, name: s.owner.name },
    template: { slug: t.slug, name: t.name, version: t.version, approval: t.approval, kubernetesVersion: t.kubernetesVersion, maxTtlHours: t.maxTtlHours, expiryAction: t.expiryAction },
    parameters: s.parameters,
    resources: { cpuMillicores: s.resources.cpuMillicores, memoryMiB: s.resources.memoryMiB, label: s.resources.label },
    namespace: s.namespace,
    releaseName: s.releaseName,
    hostName: s.hostName,
    createdAt: s.createdAt,
    readyAt: s.readyAt,
    expiresAt: s.expiresAt,
    lastError: s.lastError,
    rejection: s.rejection,
    steps: s.steps.map((p) => ({ key: p.key, label: p.label, status: p.status, ...(p.detail === undefined ? {} : { detail: p.detail }) })),
    events: s.events.map((e) => ({ id: e.id, type: e.type, message: e.message, createdAt: e.createdAt, people: e.people.map((p) => ({ email: p.email, name: p.name })) })),
    allowed: {
      sleep: s.allowed.sleep,
      wake: s.allowed.wake,
      extend: s.allowed.extend,
      delete: s.allowed.delete,
      retry: s.allowed.retry,
      kubeconfig: s.allowed.kubeconfig,
      access: s.allowed.access,
      revokeAccess: s.allowed.revokeAccess,
    },
    kubeconfigValidity: s.kubeconfigValidity ? { validUntil: s.kubeconfigValidity.validUntil, boundBy: s.kubeconfigValidity.boundBy } : null,
    yourCredential: y ? { issuedAt: y.issuedAt, expiresAt: y.expiresAt, state: y.state, revokedBy: y.revokedBy, revokeReason: y.revokeReason } : null,
    maxExtendHours: s.maxExtendHours,
    kubeconfigFilename: s.kubeconfigFilename,
  };
}
