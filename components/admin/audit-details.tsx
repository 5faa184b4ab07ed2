/** A compact one-line view of an audit event's details JSON; the full JSON is one click away. */
export function AuditDetails({ details }: { details: unknown }) {
  if (!details || typeof details !== "object" || Object.keys(details).length === 0) return <span className="text-slate-500 dark:text-slate-400">—</span>;
  const entries = Object.entries(details as Record<string, unknown>);
  const summary = entries
    .slice(0, 4)
    .map(([k, v]) => `${k}: ${typeof v === "object" && v !== null ? JSON.stringify(v) : String(v)}`)
    .join(" · ");
  return (
    <details className="w-72 max-w-72">
      <summary className="cursor-pointer text-xs break-words text-slate-600 dark:text-slate-300" title={summary}>
        {summary.length > 80 ? `${summary.slice(0, 80)}…` : summary}
      </summary>
      <pre className="mt-1 max-h-64 overflow-auto rounded-md bg-slate-100 p-2 text-[11px] dark:bg-slate-800">{JSON.stringify(details, null, 2)}</pre>
    </details>
  );
}
