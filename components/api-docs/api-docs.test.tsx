// The /api-docs page's parts render the real OpenAPI document readably: every operation with its method,
// path, scope and each documented status; every schema with each of its properties, nested ones included.
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { OperationCard } from "@/components/api-docs/operation-card";
import { SchemaView } from "@/components/api-docs/schema-view";
import { type JsonSchema, openApiDocument } from "@/lib/api/openapi";

const doc = openApiDocument();
const text = (html: string) => html.replace(/<[^>]+>/g, " ").replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&amp;/g, "&").replace(/\s+/g, " ");

/** Every property name of a schema, nested objects and arrays of objects included (not through $refs). */
function propertyNames(s: JsonSchema): string[] {
  const inner = (x: JsonSchema): JsonSchema[] => [x, ...(x.anyOf ?? []), ...(x.items ? [x.items] : [])];
  return Object.entries(s.properties ?? {}).flatMap(([name, p]) => [name, ...inner(p).flatMap((x) => (x.properties ? propertyNames(x) : []))]);
}

describe("the API reference page", () => {
  it("shows each operation: method, path, summary, required scope, parameters and every documented answer", () => {
    for (const [path, byMethod] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(byMethod)) {
        const html = renderToStaticMarkup(<OperationCard method={method} path={path} operation={operation!} schemas={doc.components.schemas} />);
        const shown = text(html);
        expect(html).toContain(`id="op-${operation!.operationId}"`);
        for (const expected of [method, path, operation!.summary, operation!["x-required-scope"], ...Object.keys(operation!.responses)]) expect(shown, `${method} ${path}`).toContain(expected);
        for (const p of operation!.parameters ?? []) expect(shown).toContain(p.description);
        if (operation!.requestBody) for (const field of ["team", "template", "name", "parameters", "templateVersion"]) expect(shown).toContain(field);
      }
    }
  });

  it("shows each schema's properties, with links to the named schemas they use", () => {
    for (const [name, schema] of Object.entries(doc.components.schemas)) {
      const html = renderToStaticMarkup(<SchemaView schema={schema} />);
      for (const prop of propertyNames(schema)) expect(text(html), `${name}.${prop}`).toContain(prop);
    }
    const list = renderToStaticMarkup(<SchemaView schema={doc.components.schemas.ClusterList!} />);
    expect(list).toContain('href="#schema-ClusterSummary"');
    const cluster = text(renderToStaticMarkup(<SchemaView schema={doc.components.schemas.Cluster!} />));
    expect(cluster).toContain('"PENDING_APPROVAL" | "PROVISIONING"');
    expect(cluster).toContain("string (date-time) | null");
    expect(cluster).toContain("map of string → any");
  });
});
