import Form from "next/form";
import Link from "next/link";
import type { ReactNode } from "react";
import { Search } from "lucide-react";
import { Button, buttonClasses } from "@/components/ui/button";
import { inputClasses } from "@/components/ui/field";
import { cn } from "@/components/ui/cn";

/**
 * A GET form whose fields become URL search params (next/form navigates client-side and still works
 * without JavaScript). Submitting starts again at the first page: cursors are not part of the form.
 */
export function FilterForm({ action, children, active, label }: { action: string; children: ReactNode; active: boolean; label: string }) {
  return (
    <Form action={action} aria-label={label} className="flex flex-wrap items-end gap-3 rounded-xl border border-slate-200 bg-white p-4 shadow-sm dark:border-slate-800 dark:bg-slate-900">
      {children}
      <div className="flex gap-2">
        <Button type="submit" size="md" icon={<Search className="size-4" aria-hidden />}>
          Filter
        </Button>
        {active ? (
          <Link href={action} className={buttonClasses({ variant: "ghost" })}>
            Clear
          </Link>
        ) : null}
      </div>
    </Form>
  );
}

export function FilterInput({ name, label, defaultValue, placeholder, type = "text", list, className }: { name: string; label: string; defaultValue?: string; placeholder?: string; type?: string; list?: string; className?: string }) {
  const id = `filter-${name}`;
  return (
    <div className={cn("min-w-36 flex-1 space-y-1", className)}>
      <label htmlFor={id} className="block text-xs font-medium text-slate-600 dark:text-slate-400">
        {label}
      </label>
      <input id={id} name={name} type={type} list={list} defaultValue={defaultValue ?? ""} placeholder={placeholder} className={inputClasses} autoComplete="off" />
    </div>
  );
}

export function FilterSelect({ name, label, defaultValue, options, className }: { name: string; label: string; defaultValue?: string; options: { value: string; label: string }[]; className?: string }) {
  const id = `filter-${name}`;
  return (
    <div className={cn("min-w-36 space-y-1", className)}>
      <label htmlFor={id} className="block text-xs font-medium text-slate-600 dark:text-slate-400">
        {label}
      </label>
      <select id={id} name={name} defaultValue={defaultValue ?? ""} className={inputClasses}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}
