import type { ReactNode } from "react";
import { cn } from "@/components/ui/cn";

/**
 * A table's own scroll box: on a narrow screen a wide table scrolls sideways inside it instead of widening the
 * page, its first column starting in view. Named and focusable, so a keyboard can scroll it (WCAG 2.1.1).
 * `relative`: absolutely positioned content (an sr-only caption or label) stays inside the box; otherwise it
 * escapes the scroll box's clipping and widens the page.
 */
export function TableScroll({ label, className, children }: { label: string; className?: string; children: ReactNode }) {
  return (
    <div role="region" aria-label={label} tabIndex={0} className={cn("relative overflow-x-auto rounded-[inherit]", className)}>
      {children}
    </div>
  );
}
