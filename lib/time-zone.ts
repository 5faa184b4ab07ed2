/** An IANA time zone this runtime knows, else null (a cookie or a query is whatever the client sent). */
export function validTimeZone(tz: string | null | undefined): string | null {
  if (!tz || tz.length > 64) return null;
  try {
    // Kept as the browser named it (Intl may canonicalise Asia/Kathmandu to Asia/Katmandu), so both sides compare equal.
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return tz;
  } catch {
    return null;
  }
}
