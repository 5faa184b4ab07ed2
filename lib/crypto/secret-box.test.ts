import { createCipheriv, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { DEV_ENCRYPTION_KEY, SecretBoxError, decryptHostKubeconfig, decryptSecret, encryptHostKubeconfig, encryptSecret, hostKubeconfigAad } from "./secret-box";

/** A value as written before associated data existed: base64(iv | tag | ciphertext), no prefix, no AAD. */
function encryptV1(plaintext: string, key: Buffer): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const data = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), data]).toString("base64");
}

describe("secret-box (AES-256-GCM)", () => {
  const key = randomBytes(32);
  const kubeconfig = "apiVersion: v1\nkind: Config\n";

  it("round-trips in format v2 and uses a fresh IV each time", () => {
    const a = encryptSecret(kubeconfig, key);
    const b = encryptSecret(kubeconfig, key);
    expect(a).not.toBe(b);
    expect(a.startsWith("v2:")).toBe(true);
    expect(Buffer.from(a.slice(3), "base64").length).toBe(12 + 16 + kubeconfig.length);
    expect(decryptSecret(a, key)).toBe(kubeconfig);
  });

  it("rejects a wrong key and a tampered ciphertext", () => {
    const boxed = encryptSecret("secret", key);
    expect(() => decryptSecret(boxed, DEV_ENCRYPTION_KEY)).toThrow(SecretBoxError);
    const raw = Buffer.from(boxed.slice(3), "base64");
    raw[raw.length - 1]! ^= 1;
    expect(() => decryptSecret(`v2:${raw.toString("base64")}`, key)).toThrow(/tampered/);
    expect(() => decryptSecret("AAAA", key)).toThrow(/truncated/);
    expect(() => decryptSecret("v2:AAAA", key)).toThrow(/truncated/);
  });

  it("refuses keys that are not 32 bytes", () => {
    expect(() => encryptSecret("x", randomBytes(16))).toThrow(/32 bytes/);
  });

  it("binds a host's kubeconfig to the host row: another row's id does not decrypt it", () => {
    const boxed = encryptHostKubeconfig("host-a", kubeconfig, key);
    expect(decryptHostKubeconfig({ id: "host-a", kubeconfigEncrypted: boxed }, key)).toBe(kubeconfig);
    // Copied into host B's row (someone with write access to the table), it is refused.
    expect(() => decryptHostKubeconfig({ id: "host-b", kubeconfigEncrypted: boxed }, key)).toThrow(/belongs to another row/);
    // Nor does it decrypt without its associated data.
    expect(() => decryptSecret(boxed, key)).toThrow(SecretBoxError);
    expect(decryptSecret(boxed, key, hostKubeconfigAad("host-a"))).toBe(kubeconfig);
  });

  it("still reads values written before associated data (v1, no prefix) for any row", () => {
    const old = encryptV1(kubeconfig, key);
    expect(old.startsWith("v2:")).toBe(false);
    expect(decryptHostKubeconfig({ id: "host-a", kubeconfigEncrypted: old }, key)).toBe(kubeconfig);
    expect(decryptSecret(old, key)).toBe(kubeconfig);
    const raw = Buffer.from(old, "base64");
    raw[raw.length - 1]! ^= 1;
    expect(() => decryptSecret(raw.toString("base64"), key)).toThrow(/tampered/);
  });
});
