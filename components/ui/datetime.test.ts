import { describe, expect, it } from "vitest";
import { formatDateTime, formatDay, localeFromAcceptLanguage, timeSettingsFrom } from "@/components/ui/datetime";
import { validTimeZone } from "@/lib/time-zone";

// ICU writes a narrow no-break space before AM/PM: compare with plain spaces.
const plain = (s: string) => s.replace(/\s/g, " ");

describe("formatDateTime", () => {
  const at = new Date("2026-12-01T14:05:00Z");

  it("writes the date and time the way the locale does", () => {
    expect(plain(formatDateTime(at, { locale: "en-US", timeZone: "UTC" }))).toBe("Dec 1, 2026, 2:05 PM");
    expect(formatDateTime(at, { locale: "de-DE", timeZone: "UTC" })).toBe("01.12.2026, 14:05");
    expect(formatDateTime(at, { locale: "en-GB", timeZone: "UTC" })).toBe("1 Dec 2026, 14:05");
  });

  it("shows the instant in the person's time zone, across a date line and at odd offsets", () => {
    expect(formatDateTime(at, { locale: "de-DE", timeZone: "Europe/Berlin" })).toBe("01.12.2026, 15:05");
    expect(plain(formatDateTime(at, { locale: "en-US", timeZone: "America/Los_Angeles" }))).toBe("Dec 1, 2026, 6:05 AM");
    expect(formatDateTime(at, { locale: "de-DE", timeZone: "Asia/Kathmandu" })).toBe("01.12.2026, 19:50");
    expect(formatDateTime("2026-12-01T23:30:00Z", { locale: "de-DE", timeZone: "Asia/Tokyo" })).toBe("02.12.2026, 08:30");
  });

  it("follows daylight saving time", () => {
    expect(formatDateTime("2026-07-01T14:05:00Z", { locale: "de-DE", timeZone: "Europe/Berlin" })).toBe("01.07.2026, 16:05");
  });

  it("takes an ISO string as well as a Date", () => {
    expect(formatDateTime(at.toISOString(), { locale: "de-DE", timeZone: "UTC" })).toBe(formatDateTime(at, { locale: "de-DE", timeZone: "UTC" }));
  });
});

describe("formatDay", () => {
  it("writes a calendar day short, in the locale, whatever the zone", () => {
    expect(formatDay("2026-12-01", "en-US")).toBe("Dec 1");
    expect(formatDay("2026-12-01", "de-DE")).toBe("1. Dez.");
  });
});

describe("the settings of a request", () => {
  it("takes the most preferred locale that Intl knows", () => {
    expect(localeFromAcceptLanguage("de-DE,de;q=0.9,en;q=0.8")).toBe("de-DE");
    expect(localeFromAcceptLanguage("en;q=0.5, fr-CH")).toBe("fr-CH");
    expect(localeFromAcceptLanguage("*")).toBeNull();
    expect(localeFromAcceptLanguage("not a locale!,en-GB;q=0.1")).toBe("en-GB");
    expect(localeFromAcceptLanguage("")).toBeNull();
  });

  it("accepts only time zones Intl knows", () => {
    expect(validTimeZone("Europe/Berlin")).toBe("Europe/Berlin");
    expect(validTimeZone("Mars/Olympus")).toBeNull();
    expect(validTimeZone("x".repeat(100))).toBeNull();
    expect(validTimeZone(undefined)).toBeNull();
  });

  it("falls back to en-US and UTC", () => {
    expect(timeSettingsFrom({})).toEqual({ locale: "en-US", timeZone: "UTC" });
    expect(timeSettingsFrom({ acceptLanguage: "de-DE", timeZone: "Asia/Kathmandu" })).toEqual({ locale: "de-DE", timeZone: "Asia/Kathmandu" });
    expect(timeSettingsFrom({ acceptLanguage: "de-DE", timeZone: "nowhere" })).toEqual({ locale: "de-DE", timeZone: "UTC" });
  });
});
