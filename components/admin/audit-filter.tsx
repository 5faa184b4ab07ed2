import type { ReactNode } from "react";
import { FilterForm } from "@/components/admin/filter-form";
import { cn } from "@/components/ui/cn";
import { inputClasses } from "@/components/ui/field";
import type { FieldErrors } from "@/lib/errors";

type Params = Record<string, string | undefined>;

/**
 * The audit log's filters. The action is picked from the actions that have happened, grouped by what they
 * act on (a group's first entry, e.g. "All cluster actions", matches every action of that kind); a filter
 * arriving in the URL that is not one of them ("sleep") stays selectable and matches by dotted segment
 * (lib/domain/list-audit-events.ts). A filter the server refused is marked on its own field with the reason.
 * The date fields are days in `timeZone`, where the person is.
 */
export function AuditFilter({ params, actions, errors, active, timeZone }: { params: Params; actions: string[]; errors?: FieldErrors; active: boolean; timeZone: string }) {
  const groups = groupActions(actions);
  const typed = params.action && !actions.includes(params.action) && !groups.some((g) => g.kind === params.action) ? params.action : undefined;
  return (
    <FilterForm action="/admin/audit" active={active} label="Filter audit events">
      <FilterField name="actor" label="Actor e-mail" errors={errors}>
        {(p) => <input {...p} type="text" defaultValue={params.actor ?? ""} placeholder="admin@example.com" autoComplete="off" className={inputClasses} />}
      </FilterField>
      <FilterField name="team" label="Team" errors={errors}>
        {(p) => <input {...p} type="text" defaultValue={params.team ?? ""} placeholder="payments" autoComplete="off" className={inputClasses} />}
      </FilterField>
      <FilterField name="action" label="Action" errors={errors}>
        {(p) => (
          <select {...p} defaultValue={params.action ?? ""} className={inputClasses}>
            <option value="">Any action</option>
            {typed ? <option value={typed}>Actions matching “{typed}”</option> : null}
            {groups.map((g) => (
              <optgroup key={g.kind} label={g.label}>
                <option value={g.kind}>All {g.kind} actions</option>
                {g.actions.map((a) => (
                  <option key={a} value={a}>
                    {a}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
        )}
      </FilterField>
      <FilterField name="from" label={`From (day in ${timeZone})`} errors={errors} className="min-w-40 flex-none">
        {(p) => <input {...p} type="date" defaultValue={params.from ?? ""} className={inputClasses} />}
      </FilterField>
      <FilterField name="to" label={`To (day in ${timeZone}, inclusive)`} errors={errors} className="min-w-40 flex-none">
        {(p) => <input {...p} type="date" defaultValue={params.to ?? ""} className={inputClasses} />}
      </FilterField>
    </FilterForm>
  );
}

type ControlProps = { id: string; name: string; "aria-invalid"?: true; "aria-describedby"?: string };

function FilterField({ name, label, errors, className, children }: { name: string; label: string; errors?: FieldErrors; className?: string; children: (p: ControlProps) => ReactNode }) {
  const id = `filter-${name}`;
  const messages = errors?.[name];
  return (
    <div className={cn("min-w-36 flex-1 space-y-1", className)}>
      <label htmlFor={id} className="block text-xs font-medium text-slate-600 dark:text-slate-400">
        {label}
      </label>
      {children({ id, name, ...(messages ? { "aria-invalid": true, "aria-describedby": `${id}-error` } : {}) })}
      {messages ? (
        <p id={`${id}-error`} className="text-xs font-medium text-red-700 dark:text-red-400">
          {messages.join(" ")}
        </p>
      ) : null}
    </div>
  );
}

/** Pure: actions grouped by their first dotted segment (cluster, team, template, …), in name order. */
export function groupActions(actions: readonly string[]): { kind: string; label: string; actions: string[] }[] {
  const byKind = new Map<string, string[]>();
  for (const a of [...actions].sort()) {
    const kind = a.split(".")[0]!;
    byKind.set(kind, [...(byKind.get(kind) ?? []), a]);
  }
  return [...byKind].map(([kind, list]) => ({ kind, label: kind.charAt(0).toUpperCase() + kind.slice(1), actions: list }));
}
