// The secrets of a local `npm start`, generated on first start and kept in .data/secrets.json (mode 0600):
// never constants in the code, and stable across restarts so sessions, the local provider's signing key
// and host kubeconfigs encrypted at rest stay valid. Delete the file to rotate everything (everyone signs
// in again; host kubeconfigs stored in the database must be entered again).
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { JWK } from "oidc-provider";
import { newSigningKey } from "../oidc/provider";

export type LocalSecrets = {
  /** Signs and encrypts the portal's session cookies (Auth.js). */
  AUTH_SECRET: string;
  /** AES-256-GCM key for host kubeconfigs stored in the database (32 bytes, base64). */
  PORTAL_ENCRYPTION_KEY: string;
  /** The portal's client secret at the local OpenID Connect provider. */
  AUTH_OIDC_CLIENT_SECRET: string;
  /** The local provider's cookie signing key. */
  LOCAL_OIDC_COOKIE_KEY: string;
  /** The local provider's ID token signing key (RS256, private JWK). */
  LOCAL_OIDC_SIGNING_KEY: JWK;
};

const generators: { [K in keyof LocalSecrets]: () => LocalSecrets[K] } = {
  AUTH_SECRET: () => randomBytes(32).toString("base64"),
  PORTAL_ENCRYPTION_KEY: () => randomBytes(32).toString("base64"),
  AUTH_OIDC_CLIENT_SECRET: () => randomBytes(32).toString("base64url"),
  LOCAL_OIDC_COOKIE_KEY: () => randomBytes(32).toString("base64url"),
  LOCAL_OIDC_SIGNING_KEY: () => newSigningKey(),
};

export function secretsFile(root: string): string {
  return path.join(root, ".data", "secrets.json");
}

/**
 * Reads .data/secrets.json, adds whatever is missing (all of it on the first start) and returns the secrets
 * with the names generated now. The file is written atomically with mode 0600; a looser mode is tightened.
 */
export function loadOrCreateSecrets(root: string): { secrets: LocalSecrets; file: string; generated: (keyof LocalSecrets)[] } {
  const file = secretsFile(root);
  mkdirSync(path.dirname(file), { recursive: true });
  let stored: Partial<LocalSecrets> = {};
  if (existsSync(file)) {
    if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
    try {
      stored = JSON.parse(readFileSync(file, "utf8")) as Partial<LocalSecrets>;
    } catch (e) {
      throw new Error(`${file} is not valid JSON (${(e as Error).message}): fix it, or delete it to generate new secrets (everyone signs in again).`);
    }
  }
  const generated: (keyof LocalSecrets)[] = [];
  const secrets = { ...stored } as Record<string, unknown>;
  for (const [key, make] of Object.entries(generators) as [keyof LocalSecrets, () => unknown][]) {
    if (secrets[key] === undefined || secrets[key] === "") {
      secrets[key] = make();
      generated.push(key);
    }
  }
  if (generated.length > 0) {
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
    renameSync(tmp, file);
  }
  return { secrets: secrets as LocalSecrets, file, generated };
}
