// The OpenAPI document of /api/v1: a valid OpenAPI 3.1 document (checked against the specification's own
// schemas), its schemas valid JSON Schema 2020-12, and exactly the operations of the route files under
// app/api/v1 — each file's exports declare the operation at their own path and method.
import { readdirSync } from "node:fs";
import path from "node:path";
import { Validator } from "@seriousme/openapi-schema-validator";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { describe, expect, expectTypeOf, it, vi } from "vitest";
import { openApiDocument } from "@/lib/api/openapi";
import { toV1Cluster, type V1Cluster, ZCluster } from "@/lib/api/v1-clusters";
import { V1_OPERATIONS, type V1Operation } from "@/lib/api/v1-operations";
import type { TClusterStatus } from "@/lib/domain/get-cluster-detail";

// Route modules mark themselves server-only; this test only reads their declarations.
vi.mock("server-only", () => ({}));

const V1_DIR = path.resolve(import.meta.dirname, "../../app/api/v1");
const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

function routeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return routeFiles(p);
    return e.name === "route.ts" ? [p] : [];
  });
}

/** app/api/v1/clusters/[id]/sleep/route.ts → /api/v1/clusters/{id}/sleep */
const apiPathOf = (file: string) => `/api/v1/${path.relative(V1_DIR, path.dirname(file)).split(path.sep).join("/")}`.replace(/\[([^\]]+)\]/g, "{$1}");

describe("the OpenAPI document", () => {
  const doc = openApiDocument();

  it("is valid OpenAPI 3.1 by the specification's schema (with the 3.1 schema dialect)", async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(doc));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe("3.1");
    // The validator does refuse what is not OpenAPI: a broken copy fails.
    const broken = structuredClone(doc) as unknown as { paths: Record<string, Record<string, { responses: unknown }>> };
    broken.paths["/api/v1/clusters"]!.get!.responses = "none";
    expect((await new Validator().validate(broken)).valid).toBe(false);
  });

  it("has component schemas that compile as JSON Schema 2020-12 (strict), and every $ref resolves", () => {
    const ajv = new Ajv2020({ strict: true, allErrors: true });
    addFormats(ajv);
    for (const [name, schema] of Object.entries(doc.components.schemas)) ajv.addSchema(schema, `#/components/schemas/${name}`);
    const refs = JSON.stringify(doc).match(/"\$ref":"([^"]+)"/g) ?? [];
    expect(refs.length).toBeGreaterThan(0);
    for (const r of refs) {
      const target = r.slice('"$ref":"'.length, -1);
      expect(target.startsWith("#/components/schemas/"), target).toBe(true);
      expect(doc.components.schemas[target.slice("#/components/schemas/".length)], target).toBeDefined();
    }
    for (const name of Object.keys(doc.components.schemas)) expect(ajv.getSchema(`#/components/schemas/${name}`), name).toBeTypeOf("function");
  });

  it("lists exactly the operations the route files under app/api/v1 export, at their paths and methods, with their scopes", async () => {
    const fromFiles: string[] = [];
    for (const file of routeFiles(V1_DIR)) {
      const mod = (await import(file)) as Record<string, unknown>;
      for (const method of METHODS) {
        const handler = mod[method] as { operation?: V1Operation } | undefined;
        if (!handler) continue;
        const where = `${method} ${path.relative(V1_DIR, file)}`;
        expect(handler.operation, `${where} must be defined with v1Route(operation)`).toBeDefined();
        expect({ method: handler.operation!.method, path: handler.operation!.path }, where).toEqual({ method, path: apiPathOf(file) });
        fromFiles.push(`${method} ${apiPathOf(file)}`);
      }
    }
    const inDocument = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`));
    expect(inDocument.sort()).toEqual(fromFiles.sort());
    expect(V1_OPERATIONS.map((o) => `${o.method} ${o.path}`).sort()).toEqual(fromFiles.sort());

    for (const op of V1_OPERATIONS) {
      const o = doc.paths[op.path]![op.method.toLowerCase() as "get"]!;
      expect(o.security).toEqual([{ apiToken: [op.scope] }, { session: [] }]);
      expect(o["x-required-scope"]).toBe(op.scope);
      // Every answer is documented: the success, the operation's own errors and those every operation can meet.
      expect(Object.keys(o.responses)).toEqual(expect.arrayContaining([String(op.success.status), ...op.errors.map(String), "401", "403", "429", "500"]));
      for (const [status, r] of Object.entries(o.responses)) {
        if (Number(status) >= 400) expect(r.content?.["application/json"]?.schema, `${op.operationId} ${status}`).toEqual({ $ref: "#/components/schemas/Error" });
      }
      if (op.path.includes("{id}")) expect(o.parameters?.map((p) => [p.name, p.in, p.required])).toEqual([["id", "path", true]]);
    }
    expect(V1_OPERATIONS.filter((o) => o.method !== "GET" || o.operationId === "downloadKubeconfig").every((o) => o.scope === "write")).toBe(true);
  }, 60_000); // importing the route modules transforms next-auth and Prisma

  it("documents the request body as accepted (extra fields allowed) and answers as written (no undocumented fields)", () => {
    const body = doc.components.schemas.CreateClusterRequest!;
    expect(body.required?.sort()).toEqual(["name", "team", "template"]);
    expect(body.additionalProperties).toBeUndefined();
    expect(doc.components.schemas.Cluster!.additionalProperties).toBe(false);
    expect(doc.paths["/api/v1/clusters"]!.post!.requestBody?.content["application/json"]?.schema).toEqual({ $ref: "#/components/schemas/CreateClusterRequest" });
  });
});

describe("the Cluster answer", () => {
  // The cluster page polls GET /api/v1/clusters/{id} and reads it as its own status type.
  expectTypeOf<V1Cluster>().toExtend<TClusterStatus>();

  it("carries every field of the page's status, unchanged, and parses with its schema", () => {
    const status: TClusterStatus = {
      id: "c1",
      name: "api-one",
      phase: "READY",
      phaseLabel: "Ready",
      desiredState: "RUNNING",
      activity: "stable",
      team: { id: "t1", name: "Payments", slug: "payments" },
      owner: { id: "u1", name: null, email: "dev.payments@example.com" },
      template: { slug: "sandbox", name: "Sandbox", version: 1, approval: "AUTO", kubernetesVersion: "1.36", maxTtlHours: 72, expiryAction: "DELETE" },
      parameters: { size: "small" },
      resources: { cpuMillicores: 1000, memoryMiB: 2048, label: "1 CPU · 2 GiB" },
      namespace: "vc-payments-api-one",
      releaseName: "api-one",
      hostName: "local",
      createdAt: "2026-12-01T10:00:00.000Z",
      readyAt: "2026-12-01T10:01:00.000Z",
      expiresAt: null,
      lastError: null,
      rejection: null,
      steps: [
        { key: "requested", label: "Requested", status: "done" },
        { key: "ready", label: "Ready", status: "current", detail: "almost" },
      ],
      events: [{ id: "e1", type: "ready", message: "ready", createdAt: "2026-12-01T10:01:00.000Z", people: [] }],
      allowed: { sleep: true, wake: false, extend: false, delete: true, retry: false, kubeconfig: true, access: true, revokeAccess: false },
      kubeconfigValidity: { validUntil: "2026-12-01T18:00:00.000Z", boundBy: "maximum" },
      yourCredential: { issuedAt: "2026-12-01T10:02:00.000Z", expiresAt: "2026-12-01T18:02:00.000Z", state: "active", revokedBy: null, revokeReason: null },
      maxExtendHours: 0,
      kubeconfigFilename: "api-one.kubeconfig.yaml",
    };
    const answer = toV1Cluster(status);
    expect(answer).toEqual(status);
    expect(ZCluster.parse(answer)).toEqual(status);
  });
});
