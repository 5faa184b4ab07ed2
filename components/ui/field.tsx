import { type ReactNode, useId } from "react";
import { cn } from "@/components/ui/cn";

export const inputClasses =
  "block w-full rounded-lg border border-slate-300 bg-white px-3 py-2 text-sm text-slate-900 shadow-sm placeholder:text-slate-500 focus-visible:border-brand-500 focus-visible:outline-2 focus-visible:outline-offset-0 focus-visible:outline-focus disabled:opacity-60 aria-invalid:border-red-500 aria-invalid:focus-visible:outline-red-600 dark:aria-invalid:focus-visible:outline-red-400 dark:border-slate-700 dark:bg-slate-950 dark:text-slate-100 dark:placeholder:text-slate-400 dark:aria-invalid:border-red-500";

export type FieldControlProps = { id: string; "aria-describedby"?: string; "aria-invalid"?: true };

/**
 * Label + control + hint + errors. The control is rendered by `children(props)` so any input, select or
 * checkbox gets the right `id`, `aria-describedby` (hint and errors) and `aria-invalid`.
 */
export function Field({
  label,
  hint,
  errors,
  id: givenId,
  className,
  inline = false,
  children,
}: {
  label: ReactNode;
  hint?: ReactNode;
  errors?: string[];
  id?: string;
  className?: string;
  /** Checkbox layout: control before the label. */
  inline?: boolean;
  children: (props: FieldControlProps) => ReactNode;
}) {
  const autoId = useId();
  const id = givenId ?? autoId;
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const hasErrors = !!errors && errors.length > 0;
  const describedBy = [hint ? hintId : null, hasErrors ? errorId : null].filter(Boolean).join(" ") || undefined;
  const control = children({ id, "aria-describedby": describedBy, "aria-invalid": hasErrors ? true : undefined });

  const messages = (
    <>
      {hint ? (
        <p id={hintId} className="text-xs text-slate-500 dark:text-slate-400">
          {hint}
        </p>
      ) : null}
      {hasErrors ? (
        <p id={errorId} className="text-xs font-medium text-red-700 dark:text-red-400">
          {errors!.join(" ")}
        </p>
      ) : null}
    </>
  );

  if (inline) {
    return (
      <div className={cn("flex items-start gap-3", className)}>
        <div className="pt-0.5">{control}</div>
        <div className="space-y-1">
          <label htmlFor={id} className="text-sm font-medium text-slate-800 dark:text-slate-200">
            {label}
          </label>
          {messages}
        </div>
      </div>
    );
  }
  return (
    <div className={cn("space-y-1.5", className)}>
      <label htmlFor={id} className="block text-sm font-medium text-slate-800 dark:text-slate-200">
        {label}
      </label>
      {control}
      {messages}
    </div>
  );
}
