/**
 * The real loft-sh/vcluster Helm chart, at pinned versions, as a local chart repository.
 *
 * scripts/k8s/vcluster-charts.sh packages the chart folder of the Go module
 * github.com/loft-sh/vcluster@v<ver> (the Go module proxy is reachable here, charts.loft.sh is not)
 * into <cache>/vcluster-charts/{vcluster-<ver>.tgz,index.yaml}. serveChartRepository() serves that
 * dir over plain HTTP, so `helm upgrade --install vcluster vcluster --repo <url> --version 0.30.0`
 * and a Flux HelmRepository install exactly what they would from the real repository.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { goAvailable } from './binaries';
import { binDir, cacheDir, repoRoot } from './locations';

/** The vcluster chart versions the portal supports (the charts script is run with exactly these). */
export const VCLUSTER_CHART_VERSIONS = ['0.30.0', '0.36.1'] as const;
export type VclusterChartVersion = (typeof VCLUSTER_CHART_VERSIONS)[number];

/** <cache root>/vcluster-charts: next to k8s-<ver>/, shared by every Kubernetes version. */
export function vclusterChartsDir(): string {
  return path.join(path.dirname(cacheDir()), 'vcluster-charts');
}

function chartsPresent(dir: string): boolean {
  return (
    fs.existsSync(path.join(dir, 'index.yaml')) &&
    VCLUSTER_CHART_VERSIONS.every((v) => fs.existsSync(path.join(dir, `vcluster-${v}.tgz`)))
  );
}

/** Packages the pinned charts unless all are there already (then it only checks files). Returns the dir. */
export async function ensureVclusterCharts(log: (line: string) => void = () => {}): Promise<string> {
  const dir = vclusterChartsDir();
  if (chartsPresent(dir)) return dir;
  const helm = path.join(binDir(), 'helm');
  if (!goAvailable()) {
    throw new Error(
      `Go is not installed, so the vcluster charts (github.com/loft-sh/vcluster@v${VCLUSTER_CHART_VERSIONS.join(', @v')}) ` +
        `cannot be fetched from the Go module proxy into ${dir}. Install Go (PATH=$PATH:/usr/local/go/bin) and retry.`,
    );
  }
  if (!fs.existsSync(helm)) throw new Error(`helm is not built yet (${helm}): run \`npm run k8s:up\` (scripts/k8s/build.sh) first`);
  log(`packaging vcluster charts ${VCLUSTER_CHART_VERSIONS.join(', ')} into ${dir}`);
  const script = path.join(repoRoot, 'scripts', 'k8s', 'vcluster-charts.sh');
  const env = { ...process.env, HELM_BIN: helm, VCP_VCLUSTER_CHART_VERSIONS: VCLUSTER_CHART_VERSIONS.join(' ') };
  await new Promise<void>((resolve, reject) => {
    const child = spawn('bash', [script], { stdio: ['ignore', 'pipe', 'pipe'], env });
    const tail: string[] = [];
    const feed = (buf: Buffer) => {
      for (const line of buf.toString().split('\n')) {
        if (!line.trim()) continue;
        tail.push(line);
        if (tail.length > 30) tail.shift();
        if (line.startsWith('[vcluster charts]')) log(line);
      }
    };
    child.stdout.on('data', feed);
    child.stderr.on('data', feed);
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0 && chartsPresent(dir)) resolve();
      else reject(new Error(`scripts/k8s/vcluster-charts.sh failed (exit ${code}):\n${tail.join('\n')}`));
    });
  });
  return dir;
}

export interface ChartRepository {
  /** e.g. http://127.0.0.1:41234 (no trailing slash); index.yaml is at <url>/index.yaml */
  url: string;
  stop(): Promise<void>;
}

// Only plain file names of the repo dir: no "/", no "..", no dot files (the .lock).
const SERVABLE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

function contentType(name: string): string | null {
  if (name === 'index.yaml') return 'application/x-yaml';
  if (name.endsWith('.tgz')) return 'application/gzip';
  return null;
}

/** Serves index.yaml and the chart .tgz files of dir (default: the vcluster charts dir) read-only on 127.0.0.1. */
export async function serveChartRepository(opts: { dir?: string; port?: number } = {}): Promise<ChartRepository> {
  const dir = opts.dir ?? vclusterChartsDir();
  if (!fs.existsSync(path.join(dir, 'index.yaml'))) {
    throw new Error(`no index.yaml in ${dir}: run ensureVclusterCharts() (scripts/k8s/vcluster-charts.sh) first`);
  }
  const server = http.createServer((req, res) => {
    const notFound = () => {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found\n');
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' });
      res.end('method not allowed\n');
      return;
    }
    // The raw request path, not a normalised URL: "/../x" must not become "/x".
    let name: string;
    try {
      name = decodeURIComponent((req.url ?? '/').split('?')[0]!.replace(/^\//, ''));
    } catch {
      return notFound();
    }
    const type = contentType(name);
    if (!SERVABLE.test(name) || !type) return notFound();
    const file = path.join(dir, name);
    fs.stat(file, (err, st) => {
      if (err || !st.isFile()) return notFound();
      res.writeHead(200, { 'content-type': type, 'content-length': st.size });
      if (req.method === 'HEAD') return res.end();
      fs.createReadStream(file)
        .on('error', () => res.destroy())
        .pipe(res);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: opts.port ?? 0 }, resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // helm keeps connections alive; close() alone would wait for them to time out.
        server.closeAllConnections();
      }),
  };
}
