/**
 * Integration test: the pinned real vcluster charts are packaged (scripts/k8s/vcluster-charts.sh) and
 * the local chart repository serves them to the helm built by scripts/k8s/build.sh.
 * Needs the built binaries (the integration tier's global setup builds them) and, the first time,
 * the Go module proxy.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureVclusterCharts, serveChartRepository, VCLUSTER_CHART_VERSIONS, type ChartRepository } from './chart-repo';
import { ensureBuilt } from './binaries';
import { binDir } from './locations';

const run = promisify(execFile);
let repo: ChartRepository;
let helmHome: string;

/** The built helm, with its config/cache/data dirs in a temp dir (nothing of the user's helm setup). */
async function helm(...args: string[]): Promise<string> {
  const env = {
    ...process.env,
    HELM_CACHE_HOME: path.join(helmHome, 'cache'),
    HELM_CONFIG_HOME: path.join(helmHome, 'config'),
    HELM_DATA_HOME: path.join(helmHome, 'data'),
  };
  const { stdout } = await run(path.join(binDir(), 'helm'), args, { env, maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

/** Raw GET: the path is sent as written (no client-side normalisation of "/../"). */
function get(rawPath: string, method = 'GET'): Promise<{ status: number; type: string; body: Buffer }> {
  const { port, hostname } = new URL(repo.url);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: hostname, port, path: rawPath, method }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body: Buffer.concat(chunks) }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

describe('local vcluster chart repository', () => {
  beforeAll(async () => {
    if (!process.env.PATH?.split(':').includes('/usr/local/go/bin')) process.env.PATH = `${process.env.PATH ?? ''}:/usr/local/go/bin`;
    await ensureBuilt((l) => console.log(l)); // no-op when built
    const dir = await ensureVclusterCharts((l) => console.log(l));
    for (const v of VCLUSTER_CHART_VERSIONS) expect(fs.existsSync(path.join(dir, `vcluster-${v}.tgz`))).toBe(true);
    repo = await serveChartRepository();
    helmHome = fs.mkdtempSync(path.join(os.tmpdir(), 'vcp-helm-'));
  }, 60 * 60_000);

  afterAll(async () => {
    await repo?.stop();
    if (helmHome) fs.rmSync(helmHome, { recursive: true, force: true });
  });

  it('lists the pinned versions in index.yaml', async () => {
    const r = await get('/index.yaml');
    expect(r.status).toBe(200);
    expect(r.type).toBe('application/x-yaml');
    const index = r.body.toString();
    for (const v of VCLUSTER_CHART_VERSIONS) expect(index).toContain(`vcluster-${v}.tgz`);
    const tgz = await get('/vcluster-0.30.0.tgz', 'HEAD');
    expect(tgz.status).toBe(200);
    expect(tgz.type).toBe('application/gzip');
  });

  it('serves the chart to `helm show chart --repo`', async () => {
    const chart = await helm('show', 'chart', 'vcluster', '--repo', repo.url, '--version', '0.36.1');
    expect(chart).toMatch(/^name: vcluster$/m);
    expect(chart).toMatch(/^version: 0\.36\.1$/m);
    expect(chart).toMatch(/^appVersion: 0\.36\.1$/m);
  }, 60_000);

  it('renders the real chart with `helm template --repo`, images tagged with the chart version', async () => {
    const out = await helm(
      'template', 'x', 'vcluster', '--repo', repo.url, '--version', '0.30.0', '--namespace', 'team-a',
      '--set', 'controlPlane.backingStore.database.embedded.enabled=true',
    );
    expect(out).toMatch(/kind: StatefulSet/);
    expect(out).toMatch(/chart: "?vcluster-0\.30\.0"?$/m);
    expect(out).toMatch(/image: .*vcluster[^:\s]*:0\.30\.0\b/);
  }, 60_000);

  it('serves nothing but index.yaml and chart archives of its dir', async () => {
    for (const p of [
      '/../etc/passwd',
      '/..%2f..%2fetc%2fpasswd',
      '/%2e%2e/%2e%2e/etc/passwd',
      '/vcluster-charts/index.yaml',
      '/.lock',
      '/',
      '/nope.tgz',
      '/%zz',
    ]) {
      expect({ p, status: (await get(p)).status }).toEqual({ p, status: 404 });
    }
    expect((await get('/index.yaml', 'POST')).status).toBe(405);
  });
});
