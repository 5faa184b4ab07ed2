import { ACCESS_TABLE, type AccessEntry, type Outcome } from "@/lib/authz/access-table";

// docs/security.md shows the access table between these markers; lib/authz/access-table.test.ts keeps it in step.
export const TABLE_START = "<!-- access-table:start (rendered from lib/authz/access-table.ts) -->";
export const TABLE_END = "<!-- access-table:end -->";

const cell = (o: Outcome) => (o === "ok" ? "✓" : o === "signin" ? "→ sign-in" : String(o));

function what(e: AccessEntry): string {
  if (e.kind === "route") return `\`${e.method} ${e.path}\``;
  if (e.kind === "page") return `page \`${e.path}\``;
  return `\`${e.action}\` (${e.file})`;
}

/** The table as Markdown: ✓ allowed, a number the refusal's status (or action code), "→ sign-in" a redirect. */
export function renderAccessTable(): string {
  const rows = ACCESS_TABLE.map((e) => `| ${what(e)} | ${e.who} | ${e.as.map(cell).join(" | ")} | ${e.note ?? ""} |`);
  return [
    TABLE_START,
    "| Route, action or page | Who may | anonymous | developer | lead | admin | other team | Note |",
    "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ...rows,
    TABLE_END,
  ].join("\n");
}
