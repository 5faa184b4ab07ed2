import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { ACCESS_TABLE, entryName, OK, PERSONAS } from "@/lib/authz/access-table";
import { renderAccessTable, TABLE_END, TABLE_START } from "@/lib/authz/access-table-markdown";

// The access table must list exactly what the code serves: every method a route.ts exports, every server action
// (exported from a "use server" module, or an inline "use server" closure) and every page. A new route or action
// fails here until someone decides who may call it (docs/security.md).

const root = process.cwd();
const HTTP_METHODS = new Set(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]);

const sourceFiles = (dir: string) =>
  (readdirSync(path.join(root, dir), { recursive: true }) as string[])
    .filter((f) => /\.tsx?$/.test(f) && !/\.test\.tsx?$/.test(f))
    .map((f) => path.join(dir, f).split(path.sep).join("/"));

const parse = (file: string) => ts.createSourceFile(file, readFileSync(path.join(root, file), "utf8"), ts.ScriptTarget.Latest, true, file.endsWith(".tsx") ? ts.ScriptKind.TSX : ts.ScriptKind.TS);

const isExported = (s: ts.Statement) => ts.canHaveModifiers(s) && (ts.getModifiers(s) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);

/** Names a module exports at top level: `export function X`, `export const X = …`, `export const { X, Y } = …`. */
function exportedNames(sf: ts.SourceFile): string[] {
  const names: string[] = [];
  for (const s of sf.statements) {
    if (!isExported(s)) continue;
    if (ts.isFunctionDeclaration(s) && s.name) names.push(s.name.text);
    if (ts.isVariableStatement(s))
      for (const d of s.declarationList.declarations) {
        if (ts.isIdentifier(d.name)) names.push(d.name.text);
        else if (ts.isObjectBindingPattern(d.name)) for (const el of d.name.elements) if (ts.isIdentifier(el.name)) names.push(el.name.text);
      }
  }
  return names;
}

const isUseServer = (s: ts.Node) => ts.isExpressionStatement(s) && ts.isStringLiteral(s.expression) && s.expression.text === "use server";

/** "use server" directives inside function bodies: inline server actions. */
function inlineActions(sf: ts.SourceFile): number {
  let n = 0;
  const visit = (node: ts.Node) => {
    if ((ts.isFunctionLike(node) || ts.isArrowFunction(node)) && "body" in node && node.body && ts.isBlock(node.body as ts.Node)) {
      const first = (node.body as ts.Block).statements[0];
      if (first && isUseServer(first)) n++;
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return n;
}

/** app/(portal)/clusters/[id]/route.ts → /clusters/[id] (route groups leave the URL). */
const urlOf = (file: string) => "/" + file.split("/").slice(1, -1).filter((seg) => !/^\(.*\)$/.test(seg)).join("/");

function servedEntries(): string[] {
  const names: string[] = [];
  for (const file of sourceFiles("app")) {
    if (file.endsWith("/route.ts")) for (const m of exportedNames(parse(file)).filter((n) => HTTP_METHODS.has(n))) names.push(`${m} ${urlOf(file)}`);
    if (file.endsWith("/page.tsx")) names.push(`page ${urlOf(file)}`);
  }
  for (const file of [...sourceFiles("app"), ...sourceFiles("components"), ...sourceFiles("lib")]) {
    const sf = parse(file);
    if (sf.statements[0] && isUseServer(sf.statements[0])) for (const name of exportedNames(sf)) names.push(`action ${file}#${name}`);
    for (let i = inlineActions(sf); i > 0; i--) names.push(`action ${file}#(inline)`);
  }
  return names.sort();
}

describe("the access table (lib/authz/access-table.ts)", () => {
  it("lists every route method, server action and page the app serves, and nothing else", () => {
    const listed = ACCESS_TABLE.map(entryName).sort();
    const served = servedEntries();
    const missing = served.filter((n) => !listed.includes(n));
    const gone = listed.filter((n) => !served.includes(n));
    expect(missing, "served but not in the access table: add them to lib/authz/access-table.ts with who may call them").toEqual([]);
    expect(gone, "in the access table but no longer served: remove them from lib/authz/access-table.ts").toEqual([]);
    // A sanity check of the scanner itself: it finds what is known to exist.
    expect(served).toContain("GET /api/v1/clusters");
    expect(served).toContain("action app/(portal)/clusters/[id]/actions.ts#deleteClusterAction");
    expect(served).toContain("action components/layout/sign-out-button.tsx#(inline)");
  });

  it("has one entry per route method, action and page", () => {
    const names = ACCESS_TABLE.map(entryName);
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
  });

  it("says what each kind of refusal is: routes answer 401 to the anonymous, pages send them to sign in", () => {
    for (const e of ACCESS_TABLE) {
      const anonymous = e.as[PERSONAS.indexOf("anonymous")];
      if (e.who === "anyone") expect(e.as, entryName(e)).toEqual([OK, OK, OK, OK, OK]);
      else if (e.kind === "page") expect(anonymous, entryName(e)).toBe("signin");
      else if (e.who !== "METRICS_TOKEN holder") expect(anonymous, entryName(e)).toBe(401);
      if (e.kind !== "page") expect(e.as, `${entryName(e)}: only pages redirect to /signin`).not.toContain("signin");
    }
  });

  it("is what docs/security.md shows", () => {
    const doc = readFileSync(path.join(root, "docs", "security.md"), "utf8");
    const shown = doc.slice(doc.indexOf(TABLE_START), doc.indexOf(TABLE_END) + TABLE_END.length);
    expect(shown, `docs/security.md is out of step with lib/authz/access-table.ts; replace its table with:\n\n${renderAccessTable()}\n`).toBe(renderAccessTable());
  });
});
