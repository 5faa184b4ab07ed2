// The one way the portal writes a point in time for people: the absolute time in the person's locale (from the
// browser's Accept-Language) and time zone (from the browser, kept in the `tz` cookie so the server renders it
// right too). Pure, for the server render and the browser alike; components/ui/local-time.tsx carries the
// settings from the root layout to every component.
import { validTimeZone } from "@/lib/time-zone";

export type TTimeSettings = { locale: string; timeZone: string };

/** What the server assumes until the browser has said otherwise (first visit, or a client without cookies). */
export const DEFAULT_TIME_SETTINGS: TTimeSettings = { locale: "en-US", timeZone: "UTC" };

/** The cookie the browser keeps its time zone in (IANA name, e.g. Europe/Berlin). */
export const TIME_ZONE_COOKIE = "tz";

const toDate = (d: Date | string) => (typeof d === "string" ? new Date(d) : d);

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(key: string, make: () => Intl.DateTimeFormat): Intl.DateTimeFormat {
  let f = formatters.get(key);
  if (!f) {
    f = make();
    formatters.set(key, f);
  }
  return f;
}

/** The absolute time, date and minutes: "Dec 1, 2026, 2:05 PM" (en-US), "1 Dec 2026, 14:05" (en-GB), "01.12.2026, 14:05" (de-DE). */
export function formatDateTime(d: Date | string, s: TTimeSettings): string {
  const f = formatter(`dt|${s.locale}|${s.timeZone}`, () => new Intl.DateTimeFormat(s.locale, { dateStyle: "medium", timeStyle: "short", timeZone: s.timeZone }));
  return f.format(toDate(d));
}

/**
 * A calendar day kept as "YYYY-MM-DD" (the usage snapshots' UTC days), short: "Dec 1" (en-US), "1. Dez." (de-DE).
 * A day is not an instant, so no time zone moves it.
 */
export function formatDay(day: string, locale: string): string {
  const f = formatter(`day|${locale}`, () => new Intl.DateTimeFormat(locale, { month: "short", day: "numeric", timeZone: "UTC" }));
  return f.format(new Date(`${day}T00:00:00Z`));
}

/** The most preferred locale of an Accept-Language header that Intl supports ("de-DE,de;q=0.9,en;q=0.8" → "de-DE"). */
export function localeFromAcceptLanguage(header: string | null | undefined): string | null {
  if (!header) return null;
  const ranked = header
    .split(",")
    .map((part, i) => {
      const [tag = "", ...params] = part.trim().split(";");
      const q = Number(params.find((p) => p.trim().startsWith("q="))?.trim().slice(2) ?? "1");
      return { tag: tag.trim(), q: Number.isFinite(q) ? q : 0, i };
    })
    .filter((l) => l.tag && l.tag !== "*" && l.q > 0 && /^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/.test(l.tag))
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const { tag } of ranked) {
    try {
      const [supported] = Intl.DateTimeFormat.supportedLocalesOf(tag);
      if (supported) return supported;
    } catch {
      // A tag Intl cannot parse: try the next one.
    }
  }
  return null;
}

/** The settings for one request: its Accept-Language and the `tz` cookie, each falling back to the default. */
export function timeSettingsFrom(request: { acceptLanguage?: string | null; timeZone?: string | null }): TTimeSettings {
  return {
    locale: localeFromAcceptLanguage(request.acceptLanguage) ?? DEFAULT_TIME_SETTINGS.locale,
    timeZone: validTimeZone(request.timeZone) ?? DEFAULT_TIME_SETTINGS.timeZone,
  };
}
