// One operation of the OpenAPI document: method and path, what it does, the scope it needs, its path
// parameters, request body and every documented answer.
import type { ReactNode } from "react";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Card, CardBody } from "@/components/ui/card";
import { refName, SchemaView, TypeLabel } from "@/components/api-docs/schema-view";
import type { JsonSchema, OpenApiOperation } from "@/lib/api/openapi";

const METHOD_TONES: Record<string, BadgeTone> = { get: "info", post: "success", delete: "danger" };

export const operationAnchor = (operationId: string) => `op-${operationId}`;

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="space-y-2">
      <h4 className="text-xs font-semibold tracking-wide text-slate-500 uppercase dark:text-slate-400">{title}</h4>
      {children}
    </section>
  );
}

/** `schemas`: the document's named schemas, so the request body's fields show here rather than only a link. */
export function OperationCard({ method, path, operation, schemas }: { method: string; path: string; operation: OpenApiOperation; schemas: Record<string, JsonSchema> }) {
  const body = operation.requestBody?.content["application/json"]?.schema;
  const bodyName = body && refName(body);
  return (
    <Card id={operationAnchor(operation.operationId)} className="scroll-mt-20">
      <div className="flex flex-wrap items-center gap-3 border-b border-slate-100 px-5 py-4 dark:border-slate-800">
        <Badge tone={METHOD_TONES[method] ?? "neutral"} className="font-mono uppercase">
          {method}
        </Badge>
        <h3 className="font-mono text-sm font-semibold break-all">{path}</h3>
        <span className="text-sm text-slate-500 dark:text-slate-400">{operation.summary}</span>
      </div>
      <CardBody className="space-y-5">
        <p className="text-sm text-slate-700 dark:text-slate-300">{operation.description}</p>
        <p className="flex flex-wrap items-center gap-2 text-sm text-slate-600 dark:text-slate-400">
          API tokens need the scope
          <Badge tone={operation["x-required-scope"] === "write" ? "warning" : "neutral"} className="font-mono">
            {operation["x-required-scope"]}
          </Badge>
          ; the signed-in session may always.
        </p>
        {operation.parameters?.length ? (
          <Section title="Path parameters">
            <dl>
              {operation.parameters.map((p) => (
                <div key={p.name} className="flex flex-wrap gap-x-2 text-sm">
                  <dt className="font-mono text-[13px] font-semibold">{p.name}</dt>
                  <dd className="text-slate-600 dark:text-slate-400">{p.description}</dd>
                </div>
              ))}
            </dl>
          </Section>
        ) : null}
        {body ? (
          <Section title="Request body (application/json)">
            {bodyName ? <TypeLabel schema={body} /> : null}
            <SchemaView schema={(bodyName && schemas[bodyName]) || body} />
          </Section>
        ) : null}
        <Section title="Responses">
          <ul className="divide-y divide-slate-100 dark:divide-slate-800">
            {Object.entries(operation.responses).map(([status, r]) => {
              const [type, media] = Object.entries(r.content ?? {})[0] ?? [];
              return (
                <li key={status} className="flex flex-wrap items-baseline gap-x-3 gap-y-1 py-2 text-sm">
                  <Badge tone={Number(status) < 400 ? "success" : Number(status) < 500 ? "warning" : "danger"} className="font-mono">
                    {status}
                  </Badge>
                  <span className="min-w-0 flex-1 text-slate-700 dark:text-slate-300">{r.description}</span>
                  {media ? (
                    <span className="flex items-baseline gap-1">
                      {type !== "application/json" ? <code className="font-mono text-[12.5px] text-slate-500 dark:text-slate-400">{type}</code> : null}
                      <TypeLabel schema={media.schema} />
                    </span>
                  ) : null}
                  {r.headers ? (
                    <span className="w-full text-xs text-slate-500 dark:text-slate-400">
                      Headers:{" "}
                      {Object.entries(r.headers).map(([name, h]) => (
                        <span key={name} className="mr-3">
                          <code className="font-mono">{name}</code> — {h.description}
                        </span>
                      ))}
                    </span>
                  ) : null}
                </li>
              );
            })}
          </ul>
        </Section>
      </CardBody>
    </Card>
  );
}
