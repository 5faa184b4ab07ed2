import { diffLines } from "diff";
import { cn } from "@/components/ui/cn";
import { normalizeLineEndings } from "@/lib/domain/template-draft";

type Line = { kind: "same" | "add" | "del"; text: string; oldNo?: number; newNo?: number };
type Row = Line | { kind: "skip"; count: number };

/** Pure: a line diff with unchanged runs folded to `context` lines around each change; \r\n and \n are the same line end. */
export function diffRows(before: string, after: string, context = 3): { rows: Row[]; added: number; removed: number } {
  const lines: Line[] = [];
  let oldNo = 1;
  let newNo = 1;
  let added = 0;
  let removed = 0;
  for (const part of diffLines(normalizeLineEndings(before), normalizeLineEndings(after))) {
    const texts = part.value.replace(/\n$/, "").split("\n");
    for (const text of texts) {
      if (part.added) {
        lines.push({ kind: "add", text, newNo: newNo++ });
        added++;
      } else if (part.removed) {
        lines.push({ kind: "del", text, oldNo: oldNo++ });
        removed++;
      } else lines.push({ kind: "same", text, oldNo: oldNo++, newNo: newNo++ });
    }
  }
  const near = lines.map(() => false);
  lines.forEach((l, i) => {
    if (l.kind === "same") return;
    for (let j = Math.max(0, i - context); j <= Math.min(lines.length - 1, i + context); j++) near[j] = true;
  });
  const rows: Row[] = [];
  let skipped = 0;
  lines.forEach((l, i) => {
    if (l.kind === "same" && !near[i]) {
      skipped++;
      return;
    }
    if (skipped) rows.push({ kind: "skip", count: skipped });
    skipped = 0;
    rows.push(l);
  });
  if (skipped) rows.push({ kind: "skip", count: skipped });
  return { rows, added, removed };
}

/** A unified, line-numbered diff; additions and removals are also announced in words for screen readers. */
export function TextDiff({ before, after, label, className }: { before: string; after: string; label: string; className?: string }) {
  const { rows, added, removed } = diffRows(before, after);
  if (added === 0 && removed === 0)
    return <p className={cn("text-sm text-slate-500 dark:text-slate-400", className)}>{label}: unchanged</p>;
  return (
    <figure className={cn("overflow-hidden rounded-lg border border-slate-200 dark:border-slate-700", className)} data-testid={`diff-${label.toLowerCase().replace(/\W+/g, "-")}`}>
      <figcaption className="flex items-center justify-between bg-slate-50 px-3 py-1.5 text-xs font-medium text-slate-600 dark:bg-slate-800/60 dark:text-slate-300">
        <span>{label}</span>
        <span>
          <span className="text-emerald-700 dark:text-emerald-400">+{added}</span> <span className="text-red-700 dark:text-red-400">−{removed}</span>
          <span className="sr-only"> lines</span>
        </span>
      </figcaption>
      <div className="max-h-96 overflow-auto">
        <table className="w-full border-collapse font-mono text-xs leading-5">
          <tbody>
            {rows.map((r, i) =>
              r.kind === "skip" ? (
                <tr key={i} className="bg-slate-50 text-slate-500 dark:text-slate-400 dark:bg-slate-900">
                  <td colSpan={4} className="px-3 py-0.5 text-center">⋯ {r.count} unchanged line{r.count === 1 ? "" : "s"}</td>
                </tr>
              ) : (
                <tr
                  key={i}
                  className={cn(
                    r.kind === "add" && "bg-emerald-50 text-emerald-900 dark:bg-emerald-950/50 dark:text-emerald-100",
                    r.kind === "del" && "bg-red-50 text-red-900 dark:bg-red-950/50 dark:text-red-100",
                  )}
                >
                  <td className="w-10 pr-2 text-right text-slate-500 dark:text-slate-400 select-none">{r.oldNo ?? ""}</td>
                  <td className="w-10 pr-2 text-right text-slate-500 dark:text-slate-400 select-none">{r.newNo ?? ""}</td>
                  <td className="w-4 select-none" aria-hidden>{r.kind === "add" ? "+" : r.kind === "del" ? "−" : " "}</td>
                  <td className="pr-3 whitespace-pre">
                    {r.kind === "add" ? <span className="sr-only">added: </span> : r.kind === "del" ? <span className="sr-only">removed: </span> : null}
                    {r.text || " "}
                  </td>
                </tr>
              ),
            )}
          </tbody>
        </table>
      </div>
    </figure>
  );
}

/** The scalar settings of a template version as lines, so they diff like the values do. */
export function settingsText(v: {
  kubernetesVersion: string;
  chartVersion: string;
  cpuMillicores: number | string;
  memoryMiB: number | string;
  defaultTtlHours: number | string;
  maxTtlHours: number | string;
  approval: string;
  expiryAction: string;
  podSecurityStandard: string;
  isolateNetwork: boolean;
  tenantRole?: string;
  privileged?: boolean;
  description?: string;
}): string {
  return [
    `description: ${v.description ?? ""}`,
    `kubernetesVersion: ${v.kubernetesVersion}`,
    `chartVersion: ${v.chartVersion}`,
    `cpuMillicores: ${v.cpuMillicores}`,
    `memoryMiB: ${v.memoryMiB}`,
    `defaultTtlHours: ${v.defaultTtlHours}`,
    `maxTtlHours: ${v.maxTtlHours}`,
    `approval: ${v.approval}`,
    `expiryAction: ${v.expiryAction}`,
    `podSecurityStandard: ${v.podSecurityStandard}`,
    `isolateNetwork: ${v.isolateNetwork}`,
    `tenantRole: ${v.tenantRole ?? "cluster-admin"}`,
    `privileged: ${v.privileged ?? false}`,
  ].join("\n");
}
