/**
 * Certificates, tokens and kubeconfigs of an instance, made once with openssl into <instance>/pki/.
 * The API server's certificate names 127.0.0.1 and localhost, not a port, so it stays valid when the
 * instance moves to another port base; the kubeconfigs name the port and are rewritten at every start.
 */
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { instanceDir } from './locations';

function openssl(args: string[], cwd: string) {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

export interface Pki {
  dir: string;
  caCrt: string;
  caKey: string;
  serverCrt: string;
  serverKey: string;
  saKey: string;
  saPub: string;
  tokens: Record<'admin' | 'controllerManager' | 'scheduler' | 'kwok', string>;
  tokenFile: string;
}

export function ensurePki(name: string): Pki {
  const dir = path.join(instanceDir(name), 'pki');
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const p = (f: string) => path.join(dir, f);
  const pki: Pki = {
    dir,
    caCrt: p('ca.crt'),
    caKey: p('ca.key'),
    serverCrt: p('apiserver.crt'),
    serverKey: p('apiserver.key'),
    saKey: p('sa.key'),
    saPub: p('sa.pub'),
    tokenFile: p('tokens.csv'),
    tokens: { admin: '', controllerManager: '', scheduler: '', kwok: '' },
  };
  const complete = [pki.caCrt, pki.caKey, pki.serverCrt, pki.serverKey, pki.saKey, pki.saPub, p('tokens.json')].every(
    (f) => fs.existsSync(f),
  );
  if (!complete) {
    try {
      execFileSync('openssl', ['version'], { stdio: 'ignore' });
    } catch {
      throw new Error('openssl is required to create the local cluster certificates (apt-get install -y openssl)');
    }
    openssl(['genrsa', '-out', 'ca.key', '2048'], dir);
    openssl(
      ['req', '-x509', '-new', '-nodes', '-key', 'ca.key', '-sha256', '-days', '3650', '-subj', `/CN=vcp-${name}-ca`, '-out', 'ca.crt'],
      dir,
    );
    fs.writeFileSync(
      p('apiserver.ext'),
      [
        'basicConstraints=CA:FALSE',
        'keyUsage=critical,digitalSignature,keyEncipherment',
        'extendedKeyUsage=serverAuth',
        'subjectAltName=IP:127.0.0.1,IP:10.96.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,' +
          'DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local',
        '',
      ].join('\n'),
    );
    openssl(['genrsa', '-out', 'apiserver.key', '2048'], dir);
    openssl(['req', '-new', '-key', 'apiserver.key', '-subj', '/CN=kube-apiserver', '-out', 'apiserver.csr'], dir);
    openssl(
      [
        'x509', '-req', '-in', 'apiserver.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial',
        '-days', '3650', '-sha256', '-extfile', 'apiserver.ext', '-out', 'apiserver.crt',
      ],
      dir,
    );
    openssl(['genrsa', '-out', 'sa.key', '2048'], dir);
    openssl(['rsa', '-in', 'sa.key', '-pubout', '-out', 'sa.pub'], dir);
    const tok = () => crypto.randomBytes(24).toString('hex');
    fs.writeFileSync(
      p('tokens.json'),
      JSON.stringify({ admin: tok(), controllerManager: tok(), scheduler: tok(), kwok: tok() }, null, 2),
      { mode: 0o600 },
    );
  }
  if (!fs.existsSync(p('front-proxy-client.crt'))) {
    // Separate CA for the aggregation layer's request-header authentication (aggregated APIs such as
    // metrics-server); without it the components log "missing content for CA bundle" forever.
    openssl(['genrsa', '-out', 'front-proxy-ca.key', '2048'], dir);
    openssl(
      ['req', '-x509', '-new', '-nodes', '-key', 'front-proxy-ca.key', '-sha256', '-days', '3650', '-subj', `/CN=vcp-${name}-front-proxy-ca`, '-out', 'front-proxy-ca.crt'],
      dir,
    );
    fs.writeFileSync(p('front-proxy-client.ext'), 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n');
    openssl(['genrsa', '-out', 'front-proxy-client.key', '2048'], dir);
    openssl(['req', '-new', '-key', 'front-proxy-client.key', '-subj', '/CN=front-proxy-client', '-out', 'front-proxy-client.csr'], dir);
    openssl(
      [
        'x509', '-req', '-in', 'front-proxy-client.csr', '-CA', 'front-proxy-ca.crt', '-CAkey', 'front-proxy-ca.key',
        '-CAcreateserial', '-days', '3650', '-sha256', '-extfile', 'front-proxy-client.ext', '-out', 'front-proxy-client.crt',
      ],
      dir,
    );
  }
  pki.tokens = JSON.parse(fs.readFileSync(p('tokens.json'), 'utf8'));
  // token,user,uid,"group1,group2"
  fs.writeFileSync(
    pki.tokenFile,
    [
      `${pki.tokens.admin},admin,vcp-admin,"system:masters"`,
      `${pki.tokens.controllerManager},system:kube-controller-manager,vcp-kube-controller-manager`,
      `${pki.tokens.scheduler},system:kube-scheduler,vcp-kube-scheduler`,
      `${pki.tokens.kwok},kwok,vcp-kwok,"system:masters"`,
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
  return pki;
}

export function kubeconfigYaml(name: string, server: string, caCrtPath: string, user: string, token: string): string {
  const ca = fs.readFileSync(caCrtPath).toString('base64');
  const ctx = `vcp-${name}`;
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    `- name: ${ctx}`,
    '  cluster:',
    `    server: ${server}`,
    `    certificate-authority-data: ${ca}`,
    'users:',
    `- name: ${user}`,
    '  user:',
    `    token: ${token}`,
    'contexts:',
    `- name: ${ctx}`,
    '  context:',
    `    cluster: ${ctx}`,
    `    user: ${user}`,
    `current-context: ${ctx}`,
    '',
  ].join('\n');
}
