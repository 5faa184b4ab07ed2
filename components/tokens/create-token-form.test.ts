import { describe, expect, it } from "vitest";
import { tokenFormErrors } from "@/components/tokens/create-token-form";

const form = (fields: Record<string, string>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  return f;
};

describe("the token form's check", () => {
  it("reports the name and the lifetime together, in the server's words", () => {
    expect(tokenFormErrors(form({ name: " ", expiresInDays: "0" }), 90)).toEqual({ name: ["Give the token a name"], expiresInDays: ["At least 1 day"] });
    expect(tokenFormErrors(form({ name: "x".repeat(65), expiresInDays: "91" }), 90)).toEqual({
      name: ["At most 64 characters"],
      expiresInDays: ["At most 90 days: the portal's limit for API tokens"],
    });
    expect(tokenFormErrors(form({ name: "ci", expiresInDays: "2.5" }), 90)).toEqual({ expiresInDays: ["A whole number of days"] });
  });

  it("passes a named token, with or without a lifetime (the server's default)", () => {
    expect(tokenFormErrors(form({ name: "ci", expiresInDays: "30" }), 90)).toEqual({});
    expect(tokenFormErrors(form({ name: "ci", expiresInDays: "" }), 90)).toEqual({});
  });
});
