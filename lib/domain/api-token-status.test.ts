import { describe, expect, it } from "vitest";
import { apiTokenStatus, apiTokenStatusWhere } from "@/lib/domain/api-token-status";

const now = new Date("2026-12-01T12:00:00Z");
const before = new Date(now.getTime() - 1);
const after = new Date(now.getTime() + 1);

describe("apiTokenStatus", () => {
  it("active until it expires; revoked wins over expired", () => {
    expect(apiTokenStatus({ revokedAt: null, expiresAt: after }, now)).toBe("active");
    expect(apiTokenStatus({ revokedAt: null, expiresAt: null }, now)).toBe("active");
    expect(apiTokenStatus({ revokedAt: null, expiresAt: now }, now)).toBe("expired");
    expect(apiTokenStatus({ revokedAt: before, expiresAt: after }, now)).toBe("revoked");
    expect(apiTokenStatus({ revokedAt: before, expiresAt: before }, now)).toBe("revoked");
  });

  it("the admin filter's where agrees with it (expiresAt <= now is expired)", () => {
    expect(apiTokenStatusWhere("revoked", now)).toEqual({ revokedAt: { not: null } });
    expect(apiTokenStatusWhere("expired", now)).toEqual({ revokedAt: null, expiresAt: { lte: now } });
    expect(apiTokenStatusWhere("active", now)).toEqual({ revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] });
  });
});
