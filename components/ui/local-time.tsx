"use client";

import { createContext, type ReactNode, useContext, useEffect, useMemo, useSyncExternalStore } from "react";
import { DEFAULT_TIME_SETTINGS, formatDateTime, TIME_ZONE_COOKIE, type TTimeSettings } from "@/components/ui/datetime";

const TimeSettingsContext = createContext<TTimeSettings>(DEFAULT_TIME_SETTINGS);

/**
 * Carries the request's locale and time zone (app/layout.tsx reads them) to every time on the page, so the
 * server's HTML and the browser's first render agree. When the browser's own time zone differs (a first visit,
 * or the person travelled), it is saved in the `tz` cookie for the next request and the times re-render in it.
 */
export function TimeSettingsProvider({ value, children }: { value: TTimeSettings; children: ReactNode }) {
  // The server's zone while rendering on the server and hydrating, the browser's right after.
  const timeZone = useSyncExternalStore(neverChanges, browserTimeZone, () => value.timeZone);
  useEffect(() => {
    if (timeZone === value.timeZone) return;
    // IANA names ([A-Za-z0-9/_+-]) need no escaping in a cookie.
    document.cookie = `${TIME_ZONE_COOKIE}=${timeZone}; path=/; max-age=31536000; samesite=lax`;
  }, [timeZone, value.timeZone]);
  const settings = useMemo(() => ({ locale: value.locale, timeZone }), [value.locale, timeZone]);
  return <TimeSettingsContext.Provider value={settings}>{children}</TimeSettingsContext.Provider>;
}

const neverChanges = () => () => {};
const browserTimeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || DEFAULT_TIME_SETTINGS.timeZone;

export function useTimeSettings(): TTimeSettings {
  return useContext(TimeSettingsContext);
}

/** An absolute time in the person's locale and time zone, e.g. "1 Dec 2026, 14:05". */
export function LocalTime({ date, className }: { date: Date | string; className?: string }) {
  const settings = useTimeSettings();
  const d = typeof date === "string" ? new Date(date) : date;
  // Text that only looked like a time (a hand-edited status file) is shown as it is.
  if (Number.isNaN(d.getTime())) return <span className={className}>{String(date)}</span>;
  const iso = d.toISOString();
  return (
    <time dateTime={iso} className={className} suppressHydrationWarning>
      {formatDateTime(d, settings)}
    </time>
  );
}
