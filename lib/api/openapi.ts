// The OpenAPI 3.1 document of /api/v1 (served at /api/openapi.json, rendered on /api-docs; docs/api.md),
// built from the operation declarations the routes use (lib/api/v1-operations.ts) and their zod schemas
// through zod's own JSON Schema output (draft 2020-12, the dialect of OpenAPI 3.1). Nothing here is written
// by hand that a schema or a declaration already says.
import { z } from "zod";
import { ZCluster, ZClusterList, ZClusterSummary, ZCreateClusterBody } from "@/lib/api/v1-clusters";
import { codesOfStatus, ERROR_CODES, type ErrorStatus, ZApiError } from "@/lib/api/v1-errors";
import { V1_OPERATIONS, type V1Operation } from "@/lib/api/v1-operations";
import { API_TOKEN_SCOPES, SCOPE_DESCRIPTIONS } from "@/lib/auth/api-token-scopes";

/** The part of JSON Schema the document uses (zod's output), enough to read it back. */
export type JsonSchema = {
  $ref?: string;
  type?: string | string[];
  description?: string;
  format?: string;
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: JsonSchema | boolean;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  [keyword: string]: unknown;
};

type MediaType = { schema: JsonSchema };
export type OpenApiResponse = { description: string; headers?: Record<string, { description: string; schema: JsonSchema }>; content?: Record<string, MediaType> };
export type OpenApiParameter = { name: string; in: "path"; required: true; description: string; schema: JsonSchema };
export type OpenApiOperation = {
  operationId: string;
  summary: string;
  description: string;
  tags: string[];
  security: Record<string, string[]>[];
  "x-required-scope": string;
  parameters?: OpenApiParameter[];
  requestBody?: { required: true; content: Record<string, MediaType> };
  responses: Record<string, OpenApiResponse>;
};
export type OpenApiDocument = {
  openapi: "3.1.1";
  jsonSchemaDialect: string;
  info: { title: string; version: string; description: string };
  tags: { name: string; description: string }[];
  paths: Record<string, Partial<Record<"get" | "post" | "delete", OpenApiOperation>>>;
  components: {
    schemas: Record<string, JsonSchema>;
    securitySchemes: Record<string, Record<string, string>>;
  };
};

/** Component names of the schemas: answers are documented as the server writes them, bodies as it accepts them. */
const RESPONSE_SCHEMAS = { ClusterList: ZClusterList, ClusterSummary: ZClusterSummary, Cluster: ZCluster, Error: ZApiError };
const REQUEST_SCHEMAS = { CreateClusterRequest: ZCreateClusterBody };

const SCHEMA_PATH = "#/components/schemas/";
const ref = (name: string): JsonSchema => ({ $ref: `${SCHEMA_PATH}${name}` });

/** The named schemas as JSON Schema, nested named ones as $refs; `io` says whether they are read as output or input. */
function componentSchemas(named: Record<string, z.ZodType>, io: "input" | "output"): Record<string, JsonSchema> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(named)) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, { target: "draft-2020-12", io, uri: (id) => `${SCHEMA_PATH}${id}` });
  // Inside an OpenAPI document a component is not a schema resource of its own: no $schema, no $id.
  return Object.fromEntries(
    Object.entries(schemas).map(([id, schema]) => {
      const component = { ...schema } as JsonSchema;
      delete component.$schema;
      delete component.$id;
      return [id, component];
    }),
  );
}

function nameOf(schema: z.ZodType, named: Record<string, z.ZodType>): string {
  const name = Object.entries(named).find(([, s]) => s === schema)?.[0];
  if (!name) throw new Error("an /api/v1 operation uses a schema that lib/api/openapi.ts does not name");
  return name;
}

const headerSchema = (format?: string): JsonSchema => (format ? { type: "string", format } : { type: "string" });

function errorResponse(status: ErrorStatus): OpenApiResponse {
  const why = codesOfStatus(status).map((code) => `${code}: ${ERROR_CODES[code].when}`);
  return { description: why.join("; "), content: { "application/json": { schema: ref("Error") } } };
}

/** Every operation can meet these: no or a bad credential, a missing scope or cross-site request, the failed-token limit, a fault. */
const COMMON_ERRORS: ErrorStatus[] = [401, 403, 429, 500];

function operationObject(op: V1Operation): OpenApiOperation {
  const success = op.success;
  const headers = Object.fromEntries(Object.entries(success.headers ?? {}).map(([name, h]) => [name, { description: h.description, schema: headerSchema(h.format) }]));
  const content: Record<string, MediaType> =
    "schema" in success ? { "application/json": { schema: ref(nameOf(success.schema, RESPONSE_SCHEMAS)) } } : { [success.contentType]: { schema: { type: "string" } } };
  const responses: Record<string, OpenApiResponse> = { [success.status]: { description: success.description, ...(Object.keys(headers).length ? { headers } : {}), content } };
  for (const status of [...new Set([...op.errors, ...COMMON_ERRORS])].sort((a, b) => a - b)) responses[status] = errorResponse(status);
  return {
    operationId: op.operationId,
    summary: op.summary,
    description: op.description,
    tags: ["clusters"],
    // Either credential; a token needs the scope named here, a session has every scope of its person.
    security: [{ apiToken: [op.scope] }, { session: [] }],
    "x-required-scope": op.scope,
    ...(op.pathParams
      ? { parameters: Object.entries(op.pathParams).map(([name, description]) => ({ name, in: "path" as const, required: true as const, description, schema: { type: "string" } })) }
      : {}),
    ...(op.body ? { requestBody: { required: true as const, content: { "application/json": { schema: ref(nameOf(op.body, REQUEST_SCHEMAS)) } } } } : {}),
    responses,
  };
}

function buildDocument(): OpenApiDocument {
  const paths: OpenApiDocument["paths"] = {};
  for (const op of V1_OPERATIONS) {
    const method = op.method.toLowerCase() as "get" | "post" | "delete";
    (paths[op.path] ??= {})[method] = operationObject(op);
  }
  const scopes = API_TOKEN_SCOPES.map((s) => `\`${s}\`: ${SCOPE_DESCRIPTIONS[s]}`).join("; ");
  return {
    openapi: "3.1.1",
    jsonSchemaDialect: "https://spec.openapis.org/oas/3.1/dialect/base",
    info: {
      title: "vcluster-portal REST API",
      version: "v1",
      description:
        "List, request, inspect, sleep, wake and delete virtual clusters, and download personal kubeconfigs. The same use cases as the web UI: permissions, quotas, approvals and audit are identical. Dates are ISO 8601 (UTC); new fields may be added within v1.",
    },
    tags: [{ name: "clusters", description: "Virtual clusters of the caller's teams" }],
    paths,
    components: {
      schemas: { ...componentSchemas(RESPONSE_SCHEMAS, "output"), ...componentSchemas(REQUEST_SCHEMAS, "input") },
      securitySchemes: {
        apiToken: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "vcp_…",
          description: `A personal API token (Settings → API tokens, or npm run token:create). Scopes: ${scopes}. 10 failed attempts from one address (then 10 a minute) answer 429.`,
        },
        session: {
          type: "apiKey",
          in: "cookie",
          name: "authjs.session-token",
          description:
            "The portal's sign-in cookie (named __Secure-authjs.session-token over https), used by the portal's own pages; it has every scope of its person. POST and DELETE must come from the portal's own origin (Origin header), else 403.",
        },
      },
    },
  };
}

let memo: OpenApiDocument | undefined;

/** The document; built once (it depends on the code only). */
export function openApiDocument(): OpenApiDocument {
  return (memo ??= buildDocument());
}
