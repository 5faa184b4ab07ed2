import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { DEV_ENCRYPTION_KEY, SecretBoxError, decryptSecret, encryptSecret } from "./secret-box";

describe("secret-box (AES-256-GCM)", () => {
  const key = randomBytes(32);

  it("round-trips and uses a fresh IV each time", () => {
    const a = encryptSecret("apiVersion: v1\nkind: Config\n", key);
    const b = encryptSecret("apiVersion: v1\nkind: Config\n", key);
    expect(a).not.toBe(b);
    expect(Buffer.from(a, "base64").length).toBe(12 + 16 + "apiVersion: v1\nkind: Config\n".length);
    expect(decryptSecret(a, key)).toBe("apiVersion: v1\nkind: Config\n");
  });

  it("rejects a wrong key and a tampered ciphertext", () => {
    const boxed = encryptSecret("secret", key);
    expect(() => decryptSecret(boxed, DEV_ENCRYPTION_KEY)).toThrow(SecretBoxError);
    const raw = Buffer.from(boxed, "base64");
    raw[raw.length - 1]! ^= 1;
    expect(() => decryptSecret(raw.toString("base64"), key)).toThrow(/tampered/);
    expect(() => decryptSecret("AAAA", key)).toThrow(/truncated/);
  });

  it("refuses keys that are not 32 bytes", () => {
    expect(() => encryptSecret("x", randomBytes(16))).toThrow(/32 bytes/);
  });
});
