import { ApiException } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { KubeError, isConflict, isNotFound, orNull, retryOnConflict, toKubeError } from "./errors";

const status = (code: number, reason: string, message: string) =>
  new ApiException(code, "Unknown API Status Code!", JSON.stringify({ kind: "Status", status: "Failure", code, reason, message }), {});

describe("toKubeError", () => {
  it.each([
    [404, "NotFound", "NotFound"],
    [409, "Conflict", "Conflict"],
    [409, "AlreadyExists", "AlreadyExists"],
    [403, "Forbidden", "Forbidden"],
    [401, "Unauthorized", "Unauthorized"],
    [422, "Invalid", "Invalid"],
    [429, "TooManyRequests", "TooManyRequests"],
    [500, "InternalError", "Unavailable"],
    [503, "ServiceUnavailable", "Unavailable"],
  ])("%i %s → %s", (code, reason, kind) => {
    const e = toKubeError(status(code, reason, `boom ${code}`));
    expect(e).toBeInstanceOf(KubeError);
    expect(e).toMatchObject({ kind, status: code, reason });
    expect(e.message).toBe(`Kubernetes API: boom ${code}`);
  });

  it("maps undici connection failures to Unavailable", () => {
    const err = new TypeError("fetch failed", { cause: Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" }) });
    expect(toKubeError(err)).toMatchObject({ kind: "Unavailable", reason: "ECONNREFUSED", retryable: true });
  });

  it("keeps a non-JSON body readable", () => {
    expect(toKubeError(new ApiException(502, "x", "<html>bad gateway</html>", {})).message).toContain("bad gateway");
  });

  it("helpers", async () => {
    expect(isNotFound(status(404, "NotFound", "x"))).toBe(true);
    expect(isConflict(status(409, "AlreadyExists", "x"))).toBe(true);
    await expect(orNull(Promise.reject(status(404, "NotFound", "gone")))).resolves.toBeNull();
    await expect(orNull(Promise.reject(status(403, "Forbidden", "no")))).rejects.toMatchObject({ kind: "Forbidden" });
    let n = 0;
    await expect(
      retryOnConflict(async () => {
        if (++n < 3) throw status(409, "Conflict", "the object has been modified");
        return "ok";
      }),
    ).resolves.toBe("ok");
    expect(n).toBe(3);
  });
});
