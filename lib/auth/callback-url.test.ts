import { describe, expect, it } from "vitest";
import { requestedPath, safeCallbackUrl, signInPath } from "@/lib/auth/callback-url";

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

describe("the sign-in redirect", () => {
  it("names the requested page, without the router's cache-buster", () => {
    expect(requestedPath(new URL("http://portal.invalid/clusters/abc?tab=events&_rsc=1x2y"))).toBe("/clusters/abc?tab=events");
    expect(requestedPath(new URL("http://portal.invalid/clusters/abc?_rsc=1x2y"))).toBe("/clusters/abc");
  });

  it("comes back to that page after signing in, and never leaves the portal", () => {
    expect(signInPath("/clusters/abc")).toBe("/signin?callbackUrl=%2Fclusters%2Fabc");
    expect(signInPath("/")).toBe("/signin");
    expect(signInPath(null)).toBe("/signin");
    expect(signInPath("//evil.example")).toBe("/signin");
  });
});
