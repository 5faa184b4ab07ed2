import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/admin/page-header";
import { OperationCard, operationAnchor } from "@/components/api-docs/operation-card";
import { SchemaView, schemaAnchor } from "@/components/api-docs/schema-view";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { openApiDocument } from "@/lib/api/openapi";

export const metadata: Metadata = { title: "REST API" };

const link = "text-brand-600 underline dark:text-brand-100";

/** The OpenAPI document of /api/v1 (/api/openapi.json), rendered on the server: no script, no external assets. */
export default function ApiDocsPage() {
  const doc = openApiDocument();
  const operations = Object.entries(doc.paths).flatMap(([path, byMethod]) => Object.entries(byMethod).map(([method, operation]) => ({ path, method, operation: operation! })));
  return (
    <div className="space-y-6">
      <PageHeader
        eyebrow="Reference"
        title={`${doc.info.title} (${doc.info.version})`}
        description={
          <>
            {doc.info.description} Machine-readable as OpenAPI {doc.openapi}:{" "}
            <a href="/api/openapi.json" className={link}>
              /api/openapi.json
            </a>
            . Create a token on{" "}
            <Link href="/settings/tokens" className={link}>
              Settings → API tokens
            </Link>
            .
          </>
        }
      />

      <Card>
        <CardHeader title="Operations" />
        <CardBody>
          <ul className="grid gap-1 text-sm sm:grid-cols-2">
            {operations.map(({ path, method, operation }) => (
              <li key={operation.operationId}>
                <a href={`#${operationAnchor(operation.operationId)}`} className="hover:underline">
                  <span className="inline-block w-16 font-mono text-xs font-semibold uppercase text-slate-500 dark:text-slate-400">{method}</span>
                  <span className="font-mono text-[13px]">{path}</span>
                </a>
              </li>
            ))}
          </ul>
        </CardBody>
      </Card>

      <Card>
        <CardHeader title="Authentication" description="Send one of these with every request." />
        <CardBody>
          <dl className="space-y-3 text-sm">
            {Object.entries(doc.components.securitySchemes).map(([name, scheme]) => (
              <div key={name}>
                <dt className="font-medium">
                  {scheme.type === "http" ? (
                    <code className="font-mono text-[13px]">Authorization: Bearer {scheme.bearerFormat}</code>
                  ) : (
                    <>
                      Cookie <code className="font-mono text-[13px]">{scheme.name}</code>
                    </>
                  )}
                </dt>
                <dd className="text-slate-600 dark:text-slate-400">{scheme.description}</dd>
              </div>
            ))}
          </dl>
        </CardBody>
      </Card>

      <div className="space-y-4">
        {operations.map(({ path, method, operation }) => (
          <OperationCard key={operation.operationId} method={method} path={path} operation={operation} schemas={doc.components.schemas} />
        ))}
      </div>

      <h2 className="pt-2 text-lg font-semibold tracking-tight">Schemas</h2>
      <div className="space-y-4">
        {Object.entries(doc.components.schemas).map(([name, schema]) => (
          <Card key={name} id={schemaAnchor(name)} className="scroll-mt-20">
            <CardHeader title={<span className="font-mono">{name}</span>} description={schema.description} as="h3" />
            <CardBody>
              <SchemaView schema={schema} />
            </CardBody>
          </Card>
        ))}
      </div>
    </div>
  );
}
