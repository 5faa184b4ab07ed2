import { describe, expect, it } from "vitest";
import { API_TOKEN_SCOPES, hasScope, missingScopeError, normalizeScopes, requireScope, ZApiTokenScopes } from "@/lib/auth/api-token-scopes";
import { AppError } from "@/lib/errors";

describe("hasScope", () => {
  it("a read token reads and does nothing else", () => {
    expect(hasScope(["read"], "read")).toBe(true);
    expect(hasScope(["read"], "write")).toBe(false);
  });

  it("a write token writes and also reads", () => {
    expect(hasScope(["read", "write"], "write")).toBe(true);
    expect(hasScope(["read", "write"], "read")).toBe(true);
    // Stored as given by an older writer: write alone still implies read.
    expect(hasScope(["write"], "read")).toBe(true);
  });

  it("no scopes, or unknown stored values, grant nothing", () => {
    for (const required of API_TOKEN_SCOPES) {
      expect(hasScope([], required)).toBe(false);
      expect(hasScope(["admin", "READ", " write"], required)).toBe(false);
      expect(hasScope(["constructor", "__proto__"], required)).toBe(false);
    }
  });
});

describe("requireScope / missingScopeError", () => {
  it("passes when the scope is held", () => {
    expect(() => requireScope(["read", "write"], "write")).not.toThrow();
    expect(() => requireScope(["read"], "read")).not.toThrow();
  });

  it("refuses with a 403 that names the missing scope, the request and how to get it", () => {
    const e = (() => {
      try {
        requireScope(["read"], "write", { method: "post", path: "/api/v1/clusters" });
      } catch (err) {
        return err;
      }
    })();
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).code).toBe("FORBIDDEN");
    expect((e as AppError).status).toBe(403);
    expect((e as AppError).message).toContain('lacks the "write" scope');
    expect((e as AppError).message).toContain("POST /api/v1/clusters");
    expect((e as AppError).message).toContain("(it has: read)");
    expect((e as AppError).message).toContain("--scopes read,write");
    expect(missingScopeError("read", []).message).toContain("(it has: none)");
  });
});

describe("ZApiTokenScopes", () => {
  const parse = (v: unknown) => ZApiTokenScopes.safeParse(v);

  it("accepts arrays and comma-separated strings, normalized (write brings read, fixed order, no duplicates)", () => {
    expect(parse("read").data).toEqual(["read"]);
    expect(parse("read,write").data).toEqual(["read", "write"]);
    expect(parse(" Write , read ,").data).toEqual(["read", "write"]);
    expect(parse("write").data).toEqual(["read", "write"]);
    expect(parse(["write", "read", "write"]).data).toEqual(["read", "write"]);
    expect(parse(["read,write"]).data).toEqual(["read", "write"]);
  });

  it("refuses nothing at all and unknown scopes, with messages that say what is allowed", () => {
    for (const v of [undefined, "", " , ", []]) {
      const r = parse(v);
      expect(r.success, JSON.stringify(v)).toBe(false);
      expect(r.error!.issues[0]!.message).toBe("Choose at least one scope: read or write");
    }
    const bad = parse("read,admin");
    expect(bad.success).toBe(false);
    expect(bad.error!.issues[0]!.message).toBe('Unknown scope "admin": use read or write');
    expect(parse([1]).success).toBe(false);
  });

  it("normalizeScopes is idempotent", () => {
    expect(normalizeScopes(normalizeScopes(["write"]))).toEqual(["read", "write"]);
    expect(normalizeScopes([])).toEqual([]);
  });
});
