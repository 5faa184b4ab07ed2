import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { env } from "@/lib/env";
import { log } from "@/lib/log";

// AES-256-GCM for secrets at rest (stored kubeconfigs, host credentials).
//
// Formats (HostCluster.kubeconfigEncrypted):
//   v2  "v2:" + base64( iv[12] | tag[16] | ciphertext ), authenticated with associated data that names the
//       row and column the value belongs to (`hostKubeconfigAad`), so a ciphertext copied into another
//       host's row does not decrypt.
//   v1  base64( iv[12] | tag[16] | ciphertext ) without associated data: written before v2; still read.
// Key: PORTAL_ENCRYPTION_KEY (32 random bytes, base64). lib/env.ts refuses to start without it unless
// NODE_ENV is explicitly "development", where a fixed, publicly known key is used (with a warning).

const IV_BYTES = 12;
const TAG_BYTES = 16;
const V2 = "v2:";

export class SecretBoxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SecretBoxError";
  }
}

/** Publicly known — only ever used when no key is configured and NODE_ENV=development. */
export const DEV_ENCRYPTION_KEY: Buffer = createHash("sha256").update("vcluster-portal development key — not secret").digest();

let warned = false;

/** The configured key, or the development key (with a one-time warning) when none is set and NODE_ENV=development. */
export function encryptionKey(): Buffer {
  const e = env();
  if (e.PORTAL_ENCRYPTION_KEY) return Buffer.from(e.PORTAL_ENCRYPTION_KEY, "base64");
  // env() already refuses a missing key unless NODE_ENV was explicitly "development"; check again here.
  if (e.NODE_ENV !== "development") throw new SecretBoxError("PORTAL_ENCRYPTION_KEY is required unless NODE_ENV=development (openssl rand -base64 32)");
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

/**
 * Encrypts `plaintext` (format v2). `aad` binds the ciphertext to where it is stored: decrypting needs the
 * same value. Use the helpers below for known places (`encryptHostKubeconfig`).
 */
export function encryptSecret(plaintext: string, key: Buffer = encryptionKey(), aad = ""): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", checkKey(key), iv);
  cipher.setAAD(Buffer.from(aad, "utf8"));
  const data = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return V2 + Buffer.concat([iv, cipher.getAuthTag(), data]).toString("base64");
}

/** Decrypts a v2 value written with the same `aad`, or a v1 value (which carries no associated data). */
export function decryptSecret(boxed: string, key: Buffer = encryptionKey(), aad = ""): string {
  const v2 = boxed.startsWith(V2);
  const raw = Buffer.from(v2 ? boxed.slice(V2.length) : boxed, "base64");
  if (raw.length < IV_BYTES + TAG_BYTES) throw new SecretBoxError("encrypted value is truncated");
  const iv = raw.subarray(0, IV_BYTES);
  const tag = raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES);
  const decipher = createDecipheriv("aes-256-gcm", checkKey(key), iv);
  if (v2) decipher.setAAD(Buffer.from(aad, "utf8"));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString("utf8");
  } catch {
    throw new SecretBoxError(
      v2
        ? "cannot decrypt: wrong PORTAL_ENCRYPTION_KEY, the value was tampered with, or it belongs to another row"
        : "cannot decrypt: wrong PORTAL_ENCRYPTION_KEY or the value was tampered with",
    );
  }
}

/** Associated data of HostCluster.kubeconfigEncrypted: the row's id. */
export const hostKubeconfigAad = (hostId: string) => `HostCluster.kubeconfigEncrypted:${hostId}`;

/** The value to store in HostCluster.kubeconfigEncrypted for the host with this id. */
export function encryptHostKubeconfig(hostId: string, kubeconfig: string, key?: Buffer): string {
  return encryptSecret(kubeconfig, key, hostKubeconfigAad(hostId));
}

/** The kubeconfig stored on a host row (v2 bound to this row's id, or a v1 value from before). */
export function decryptHostKubeconfig(host: { id: string; kubeconfigEncrypted: string }, key?: Buffer): string {
  return decryptSecret(host.kubeconfigEncrypted, key, hostKubeconfigAad(host.id));
}

/** Associated data of HostCluster.platformAccessKeyEncrypted: the row's id. */
export const hostPlatformKeyAad = (hostId: string) => `HostCluster.platformAccessKeyEncrypted:${hostId}`;

/** The value to store in HostCluster.platformAccessKeyEncrypted for the host with this id. */
export function encryptHostPlatformKey(hostId: string, accessKey: string, key?: Buffer): string {
  return encryptSecret(accessKey, key, hostPlatformKeyAad(hostId));
}

/** The vCluster Platform access key stored on a host row. */
export function decryptHostPlatformKey(host: { id: string; platformAccessKeyEncrypted: string }, key?: Buffer): string {
  return decryptSecret(host.platformAccessKeyEncrypted, key, hostPlatformKeyAad(host.id));
}
