import { describe, expect, it } from "vitest";
import { safeCallbackUrl } from "@/lib/auth/callback-url";

describe("safeCallbackUrl", () => {
  it("keeps same-origin paths with query and hash", () => {
    expect(safeCallbackUrl("/clusters/abc?tab=events#top")).toBe("/clusters/abc?tab=events#top");
    expect(safeCallbackUrl("/")).toBe("/");
  });

  it.each([
    ["https://evil.example/"],
    ["//evil.example/path"],
    ["/\\evil.example"],
    ["/\t/evil.example"],
    ["javascript:alert(1)"],
    ["clusters"],
    [""],
    [undefined],
    [null],
    [42],
    ["/signin"],
    ["/signin?callbackUrl=/x"],
  ])("falls back to / for %j", (raw) => {
    expect(safeCallbackUrl(raw)).toBe("/");
  });

  it("uses the given fallback", () => {
    expect(safeCallbackUrl("//x", "/home")).toBe("/home");
  });

  it("normalises dot segments without leaving the origin", () => {
    expect(safeCallbackUrl("/a/../../b")).toBe("/b");
  });
});
