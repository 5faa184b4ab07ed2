// The /api/v1 JSON shapes (documented in docs/api.md). Built field by field from the use cases' results,
// so a change to the UI's shapes cannot change the public API by accident.
import { z } from "zod";
import type { TClusterStatus } from "@/lib/domain/get-cluster-detail";
import type { TClusterSummary } from "@/lib/domain/list-my-clusters";
import { AppError, isAppError, validationError } from "@/lib/errors";

export type V1ClusterSummary = {
  id: string;
  name: string;
  phase: string;
  phaseLabel: string;
  team: { id: string; slug: string; name: string };
  template: { slug: string; name: string };
  owner: { id: string; email: string; name: string | null };
  isMine: boolean;
  createdAt: string;
  expiresAt: string | null;
  lastError: string | null;
  ended: boolean;
};

export type V1Cluster = Omit<V1ClusterSummary, "template" | "isMine" | "ended"> & {
  desiredState: string;
  template: { slug: string; name: string; version: number; kubernetesVersion: string };
  parameters: Record<string, unknown>;
  resources: { cpuMillicores: number; memoryMiB: number };
  namespace: string | null;
  hostName: string | null;
  readyAt: string | null;
  allowed: TClusterStatus["allowed"];
};

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

export function toV1Cluster(s: TClusterStatus): V1Cluster {
  return {
    id: s.id,
    name: s.name,
    phase: s.phase,
    phaseLabel: s.phaseLabel,
    desiredState: s.desiredState,
    team: { id: s.team.id, slug: s.team.slug, name: s.team.name },
    template: { slug: s.template.slug, name: s.template.name, version: s.template.version, kubernetesVersion: s.template.kubernetesVersion },
    owner: { id: s.owner.id, email: s.owner.email, name: s.owner.name },
    parameters: s.parameters,
    resources: { cpuMillicores: s.resources.cpuMillicores, memoryMiB: s.resources.memoryMiB },
    namespace: s.namespace,
    hostName: s.hostName,
    createdAt: s.createdAt,
    readyAt: s.readyAt,
    expiresAt: s.expiresAt,
    lastError: s.lastError,
    allowed: { ...s.allowed },
  };
}

export const ZCreateClusterBody = z.object({
  team: z.string({ error: "The team's slug, e.g. payments" }).trim().min(1, "The team's slug, e.g. payments"),
  template: z.string({ error: "The template's slug, e.g. sandbox" }).trim().min(1, "The template's slug, e.g. sandbox"),
  templateVersion: z.number().int().positive().optional(),
  name: z.string({ error: "A cluster name (lowercase letters, digits and '-')" }),
  parameters: z.record(z.string(), z.unknown()).optional(),
});

/** The request body as JSON parsed with `schema`; VALIDATION (400) with fieldErrors otherwise. */
export async function parseJsonBody<S extends z.ZodType>(req: Request, schema: S): Promise<z.infer<S>> {
  let raw: unknown;
  try {
    raw = await req.json();
  } catch {
    throw new AppError("VALIDATION", "The request body must be a JSON object.", { _form: ["The request body must be a JSON object"] });
  }
  const r = schema.safeParse(raw);
  if (!r.success) throw validationError(r.error);
  return r.data;
}

const FIELD_NAMES: Record<string, string> = { teamId: "team", templateSlug: "template" };

/** The use case names some fields differently (teamId, templateSlug): report them under the body's names. */
export function renameFieldErrors(e: unknown): unknown {
  if (!isAppError(e) || !e.fieldErrors) return e;
  const fieldErrors = Object.fromEntries(Object.entries(e.fieldErrors).map(([k, v]) => [FIELD_NAMES[k] ?? k, v]));
  return new AppError(e.code, e.message, fieldErrors);
}

export const JSON_HEADERS = { "Cache-Control": "no-store" };
