/** Joins class names, skipping falsy ones. Small on purpose: no merging of conflicting utilities. */
export function cn(...parts: (string | false | null | undefined)[]): string {
  return parts.filter(Boolean).join(" ");
}
