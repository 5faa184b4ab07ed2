// A JSON Schema of the OpenAPI document as a readable property list: names, types (named schemas linked),
// required marks, descriptions, nested objects indented.
import type { ReactNode } from "react";
import type { JsonSchema } from "@/lib/api/openapi";

const REF_PREFIX = "#/components/schemas/";

export const schemaAnchor = (name: string) => `schema-${name}`;

/** The named schema a $ref points to, if any. */
export const refName = (s: JsonSchema) => (s.$ref?.startsWith(REF_PREFIX) ? s.$ref.slice(REF_PREFIX.length) : undefined);

/** `X | null` comes out of zod as anyOf [X, {type: null}]: its non-null part, and whether null is allowed. */
function nonNull(s: JsonSchema): { schema: JsonSchema; nullable: boolean } {
  const options = s.anyOf;
  if (!options) return { schema: s, nullable: false };
  const rest = options.filter((o) => o.type !== "null");
  return { schema: rest.length === 1 ? { ...rest[0]!, description: s.description ?? rest[0]!.description } : s, nullable: rest.length < options.length };
}

function Code({ children }: { children: ReactNode }) {
  return <code className="font-mono text-[12.5px] text-slate-700 dark:text-slate-300">{children}</code>;
}

/** A short type: `string (date-time)`, `"a" | "b"`, `Cluster[]`, `map of string → unknown`, `X | null`. */
export function TypeLabel({ schema }: { schema: JsonSchema }): ReactNode {
  const { schema: s, nullable } = nonNull(schema);
  const tail = nullable ? <Code> | null</Code> : null;
  const name = refName(s);
  if (name)
    return (
      <>
        <a href={`#${schemaAnchor(name)}`} className="font-mono text-[12.5px] text-brand-600 underline dark:text-brand-100">
          {name}
        </a>
        {tail}
      </>
    );
  if (s.enum)
    return (
      <>
        <Code>{s.enum.map((v) => JSON.stringify(v)).join(" | ")}</Code>
        {tail}
      </>
    );
  if (s.type === "array" && s.items)
    return (
      <>
        <TypeLabel schema={s.items} />
        <Code>[]</Code>
        {tail}
      </>
    );
  if (s.type === "object" && !s.properties && typeof s.additionalProperties === "object") {
    const values = s.additionalProperties;
    return (
      <>
        <Code>map of string → </Code>
        {Object.keys(values).length ? <TypeLabel schema={values} /> : <Code>any</Code>}
        {tail}
      </>
    );
  }
  if (s.anyOf) return <Code>{s.anyOf.map((o) => String(o.type ?? "…")).join(" | ")}</Code>;
  return (
    <>
      <Code>
        {String(s.type ?? "any")}
        {s.format ? ` (${s.format})` : ""}
      </Code>
      {tail}
    </>
  );
}

/** The object a property holds, when its properties are listed inline (objects, nullable objects, arrays of objects). */
function inlineObject(schema: JsonSchema): JsonSchema | undefined {
  const { schema: s } = nonNull(schema);
  if (s.type === "object" && s.properties) return s;
  if (s.type === "array" && s.items?.type === "object" && s.items.properties) return s.items;
  return undefined;
}

/** An object schema's properties, one row each; nested objects indented beneath their property. */
export function SchemaView({ schema, depth = 0 }: { schema: JsonSchema; depth?: number }) {
  const name = refName(schema);
  if (name || !schema.properties)
    return (
      <p className="text-sm">
        <TypeLabel schema={schema} />
      </p>
    );
  const required = new Set(schema.required ?? []);
  return (
    <dl className={depth ? "mt-2 border-l border-slate-200 pl-4 dark:border-slate-700" : ""}>
      {Object.entries(schema.properties).map(([prop, s]) => {
        const nested = inlineObject(s);
        return (
          <div key={prop} className="py-1.5 text-sm">
            <dt className="flex flex-wrap items-baseline gap-x-2">
              <span className="font-mono text-[13px] font-semibold text-slate-900 dark:text-slate-100">{prop}</span>
              {nested ? <Code>{nonNull(s).schema.type === "array" ? "object[]" : "object"}{nonNull(s).nullable ? " | null" : ""}</Code> : <TypeLabel schema={s} />}
              {required.has(prop) ? null : <span className="text-xs text-slate-500 dark:text-slate-400">optional</span>}
            </dt>
            {s.description ? <dd className="text-slate-600 dark:text-slate-400">{s.description}</dd> : null}
            {nested ? (
              <dd>
                <SchemaView schema={nested} depth={depth + 1} />
              </dd>
            ) : null}
          </div>
        );
      })}
    </dl>
  );
}
