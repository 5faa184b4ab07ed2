/**
 * Certificates for one emulated virtual API server, made with the openssl CLI:
 * its own CA, a serving certificate for 127.0.0.1/localhost, an admin client certificate
 * (CN=vcluster-admin, O=system:masters) and a service-account signing key.
 * Kept on disk so a virtual cluster keeps its CA (and old kubeconfigs keep working) across sleep/wake.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

export interface VirtualPki {
  dir: string;
  caCrt: string;
  caKey: string;
  serverCrt: string;
  serverKey: string;
  adminCrt: string;
  adminKey: string;
  saKey: string;
  saPub: string;
}

function openssl(args: string[], cwd: string): void {
  try {
    execFileSync("openssl", args, { cwd, stdio: ["ignore", "ignore", "pipe"] });
  } catch (e) {
    const err = e as { stderr?: Buffer; message: string };
    throw new Error(`openssl ${args[0]} failed: ${err.stderr?.toString().trim() || err.message}`);
  }
}

/** subjectAltName entries: loopback and in-cluster names, plus `extraSans` (IPs or DNS names). */
function subjectAltNames(extraSans: string[]): string {
  const base = ["IP:127.0.0.1", "IP:10.96.0.1", "DNS:localhost", "DNS:kubernetes", "DNS:kubernetes.default", "DNS:kubernetes.default.svc"];
  const extra = extraSans.map((s) => (/^[\d.]+$|:/.test(s) ? `IP:${s}` : `DNS:${s}`));
  return [...new Set([...base, ...extra])].join(",");
}

/**
 * The CA, keys and certificates of one virtual API server. The serving certificate names `extraSans` too
 * (exportKubeConfig.server's host and controlPlane.proxy.extraSANs, as vCluster adds them); it is re-issued
 * by the same CA when they change, so kubeconfigs already handed out keep verifying.
 */
export function ensureVirtualPki(dir: string, commonName: string, extraSans: string[] = []): VirtualPki {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const p = (f: string) => path.join(dir, f);
  const pki: VirtualPki = {
    dir,
    caCrt: p("ca.crt"),
    caKey: p("ca.key"),
    serverCrt: p("server.crt"),
    serverKey: p("server.key"),
    adminCrt: p("admin.crt"),
    adminKey: p("admin.key"),
    saKey: p("sa.key"),
    saPub: p("sa.pub"),
  };
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  const sans = subjectAltNames(extraSans);
  const issueServerCert = () => {
    fs.writeFileSync(p("server.ext"), ["basicConstraints=CA:FALSE", "keyUsage=critical,digitalSignature,keyEncipherment", "extendedKeyUsage=serverAuth", `subjectAltName=${sans}`, ""].join("\n"));
    openssl(["req", ...ec, "-keyout", "server.key", "-out", "server.csr", "-subj", `/CN=${commonName}`], dir);
    openssl(["x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.crt", "-days", "3650", "-extfile", "server.ext"], dir);
    fs.chmodSync(p("server.key"), 0o600);
  };
  if (Object.values(pki).every((f) => fs.existsSync(f))) {
    if (!fs.readFileSync(p("server.ext"), "utf8").includes(`subjectAltName=${sans}\n`)) issueServerCert();
    return pki;
  }

  openssl(["req", "-x509", ...ec, "-keyout", "ca.key", "-out", "ca.crt", "-days", "3650", "-subj", `/CN=${commonName}-ca`], dir);
  issueServerCert();

  fs.writeFileSync(p("client.ext"), ["basicConstraints=CA:FALSE", "keyUsage=critical,digitalSignature", "extendedKeyUsage=clientAuth", ""].join("\n"));
  openssl(["req", ...ec, "-keyout", "admin.key", "-out", "admin.csr", "-subj", "/O=system:masters/CN=vcluster-admin"], dir);
  openssl(["x509", "-req", "-in", "admin.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", "admin.crt", "-days", "3650", "-extfile", "client.ext"], dir);

  openssl(["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "sa.key"], dir);
  openssl(["ec", "-in", "sa.key", "-pubout", "-out", "sa.pub"], dir);
  for (const f of fs.readdirSync(dir)) if (f.endsWith(".key")) fs.chmodSync(p(f), 0o600);
  return pki;
}

/** An admin kubeconfig (inline certificates) for the emulated API server at `server`. */
export function adminKubeconfig(pki: VirtualPki, server: string, name: string): string {
  const b64 = (f: string) => fs.readFileSync(f).toString("base64");
  return [
    "apiVersion: v1",
    "kind: Config",
    "clusters:",
    `- name: ${name}`,
    "  cluster:",
    `    server: ${server}`,
    `    certificate-authority-data: ${b64(pki.caCrt)}`,
    "users:",
    `- name: ${name}`,
    "  user:",
    `    client-certificate-data: ${b64(pki.adminCrt)}`,
    `    client-key-data: ${b64(pki.adminKey)}`,
    "contexts:",
    `- name: ${name}`,
    "  context:",
    `    cluster: ${name}`,
    `    user: ${name}`,
    `current-context: ${name}`,
    "",
  ].join("\n");
}
