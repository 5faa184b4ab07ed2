import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { env } from "@/lib/env";
import { log } from "@/lib/log";

// AES-256-GCM for secrets at rest (stored kubeconfigs, host credentials).
// Format: base64( iv[12] | tag[16] | ciphertext ), as documented on HostCluster.kubeconfigEncrypted.
// Key: PORTAL_ENCRYPTION_KEY (32 random bytes, base64). Production refuses to start without it (lib/env.ts);
// development and tests fall back to a fixed, publicly known key and say so once.

const IV_BYTES = 12;
const TAG_BYTES = 16;

export class SecretBoxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SecretBoxError";
  }
}

/** Publicly known — only ever used when no key is configured outside production. */
export const DEV_ENCRYPTION_KEY: Buffer = createHash("sha256").update("vcluster-portal development key — not secret").digest();

let warned = false;

/** The configured key, or the development key (with a one-time warning) when none is set outside production. */
export function encryptionKey(): Buffer {
  const e = env();
  if (e.PORTAL_ENCRYPTION_KEY) return Buffer.from(e.PORTAL_ENCRYPTION_KEY, "base64");
  if (e.NODE_ENV === "production") throw new SecretBoxError("PORTAL_ENCRYPTION_KEY is required in production");
  if (!warned) {
    warned = true;
    log.warn("PORTAL_ENCRYPTION_KEY is not set: using the built-in development key; stored secrets are NOT protected");
  }
  return DEV_ENCRYPTION_KEY;
}

function checkKey(key: Buffer): Buffer {
  if (key.length !== 32) throw new SecretBoxError(`encryption key must be 32 bytes, got ${key.length}`);
  return key;
}

export function encryptSecret(plaintext: string, key: Buffer = encryptionKey()): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", checkKey(key), iv);
  const data = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), data]).toString("base64");
}

export function decryptSecret(boxed: string, key: Buffer = encryptionKey()): string {
  const raw = Buffer.from(boxed, "base64");
  if (raw.length < IV_BYTES + TAG_BYTES) throw new SecretBoxError("encrypted value is truncated");
  const iv = raw.subarray(0, IV_BYTES);
  const tag = raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES);
  const decipher = createDecipheriv("aes-256-gcm", checkKey(key), iv);
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString("utf8");
  } catch {
    throw new SecretBoxError("cannot decrypt: wrong PORTAL_ENCRYPTION_KEY or the value was tampered with");
  }
}
