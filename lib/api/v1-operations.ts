// Every /api/v1 operation, declared once: the route files hand it to `v1Route` (lib/server/api-route.ts),
// which enforces its scope and types its answer, and lib/api/openapi.ts builds the OpenAPI document from
// the same declarations and zod schemas (docs/api.md).
import type { z } from "zod";
import { ZCluster, ZClusterList, ZCreateClusterBody } from "@/lib/api/v1-clusters";
import type { ErrorStatus } from "@/lib/api/v1-errors";
import type { ApiTokenScope } from "@/lib/auth/api-token-scopes";

export type ResponseHeader = { description: string; format?: "date-time" | "uri-reference" };

export type JsonSuccess<S extends z.ZodType = z.ZodType> = { status: 200 | 201 | 202; description: string; schema: S; headers?: Record<string, ResponseHeader> };
export type FileSuccess = { status: 200; description: string; contentType: "application/yaml"; headers: Record<string, ResponseHeader> };

export type V1Operation = {
  operationId: string;
  method: "GET" | "POST" | "DELETE";
  /** The OpenAPI path template; the route file lives at the same path under app/ with `[id]` for `{id}`. */
  path: `/api/v1/${string}`;
  summary: string;
  description: string;
  /** The API token scope it needs (lib/auth/api-token-scopes.ts); a session has every scope of its person. */
  scope: ApiTokenScope;
  pathParams?: Record<string, string>;
  body?: z.ZodType;
  success: JsonSuccess | FileSuccess;
  /** Errors particular to the operation; every one can also answer 401, 403, 429 and 500. */
  errors: readonly ErrorStatus[];
};

/** Keeps each declaration's literal types (its success schema above all) for `v1Json`. */
const operation = <const O extends V1Operation>(o: O): O => o;

const clusterId = { id: "The cluster's id (the `id` of a Cluster)" };

export const listClusters = operation({
  operationId: "listClusters",
  method: "GET",
  path: "/api/v1/clusters",
  summary: "List clusters",
  description: "The caller's clusters and their teams' clusters: live ones and those that ended in the last 24 hours.",
  scope: "read",
  success: { status: 200, description: "The clusters", schema: ZClusterList },
  errors: [],
});

export const createCluster = operation({
  operationId: "createCluster",
  method: "POST",
  path: "/api/v1/clusters",
  summary: "Request a cluster",
  description: "Requests a cluster for one of the caller's teams. It starts PROVISIONING, or PENDING_APPROVAL when the template or the team's quota threshold needs an admin; poll it until READY.",
  scope: "write",
  body: ZCreateClusterBody,
  success: { status: 201, description: "The requested cluster", schema: ZCluster, headers: { Location: { description: "The cluster's URL", format: "uri-reference" } } },
  errors: [400, 409, 422],
});

export const getCluster = operation({
  operationId: "getCluster",
  method: "GET",
  path: "/api/v1/clusters/{id}",
  summary: "Get a cluster",
  description: "One cluster as the caller sees it, with its progress, timeline and what the caller may do now.",
  scope: "read",
  pathParams: clusterId,
  success: { status: 200, description: "The cluster", schema: ZCluster },
  errors: [404],
});

export const deleteCluster = operation({
  operationId: "deleteCluster",
  method: "DELETE",
  path: "/api/v1/clusters/{id}",
  summary: "Delete a cluster",
  description: "Asks for deletion: the cluster is DELETING at once and DELETED once its release and namespace are gone from the host.",
  scope: "write",
  pathParams: clusterId,
  success: { status: 202, description: "The cluster, now DELETING", schema: ZCluster },
  errors: [404, 409, 412],
});

export const sleepCluster = operation({
  operationId: "sleepCluster",
  method: "POST",
  path: "/api/v1/clusters/{id}/sleep",
  summary: "Put a cluster to sleep",
  description: "Scales a READY cluster's control plane to zero (412 in any other phase); desiredState changes at once, phase follows.",
  scope: "write",
  pathParams: clusterId,
  success: { status: 202, description: "The cluster, desiredState SLEEPING", schema: ZCluster },
  errors: [404, 409, 412],
});

export const wakeCluster = operation({
  operationId: "wakeCluster",
  method: "POST",
  path: "/api/v1/clusters/{id}/wake",
  summary: "Wake a cluster",
  description: "Brings a SLEEPING cluster back; it is PROVISIONING until its control plane is ready.",
  scope: "write",
  pathParams: clusterId,
  success: { status: 202, description: "The cluster, desiredState RUNNING", schema: ZCluster },
  errors: [404, 409, 412],
});

export const downloadKubeconfig = operation({
  operationId: "downloadKubeconfig",
  method: "GET",
  path: "/api/v1/clusters/{id}/kubeconfig",
  summary: "Download your kubeconfig",
  description:
    "The caller's personal kubeconfig of a READY cluster: a token of their own ServiceAccount inside the virtual cluster, valid until X-Kubeconfig-Expires-At. A credential, not a read: API tokens need the write scope. Every download is audited; 30 a minute per person (burst 10).",
  scope: "write",
  pathParams: clusterId,
  success: {
    status: 200,
    description: "The kubeconfig (YAML), as a file download",
    contentType: "application/yaml",
    headers: {
      "X-Kubeconfig-Expires-At": { description: "When the token in the file stops working", format: "date-time" },
      "Content-Disposition": { description: 'attachment; filename="<cluster name>.kubeconfig.yaml"' },
    },
  },
  errors: [403, 404, 409, 429, 503],
});

/** In the order the document and the docs page list them. */
export const V1_OPERATIONS: readonly V1Operation[] = [listClusters, createCluster, getCluster, deleteCluster, sleepCluster, wakeCluster, downloadKubeconfig];
