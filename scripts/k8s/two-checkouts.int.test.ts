/**
 * Two checkouts on one machine each run `npm run k8s:up` (both used to want ports 16400+): two fake checkouts
 * (their own .data/k8s, set with VCP_K8S_DATA_DIR), the same cluster name, started side by side through the
 * real CLI. Their hashes are picked to choose the same slot of a two-slot range, so one of them must notice the
 * other (a real bind, under the machine-wide port lock) and take the other slot. Reuses the built binaries;
 * each cluster takes ~20 s to start.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkNodesReady, clientsFor } from './check';
import { repoRoot } from './locations';
import { portBaseKey, preferredPortBase } from './port-base';
import { PORT_OFFSETS } from './ports';
import { strayProcesses } from './processes';

// Two slots 400 and 500 above the tier's `test` cluster (VCP_TEST_PORT_BASE), so runs with their own bases never meet.
const TEST_BASE = Number(process.env.VCP_TEST_PORT_BASE) || 17400;
const RANGE = { first: TEST_BASE + 400, last: TEST_BASE + 500 };
const NAME = 'f-dev';

type Run = { code: number | null; stdout: string; stderr: string };

function cli(script: 'up' | 'down', dataDir: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', `scripts/k8s/${script}.ts`, '--name', NAME], {
      cwd: repoRoot,
      env: {
        ...process.env,
        VCP_K8S_DATA_DIR: dataDir,
        VCP_K8S_PORT_RANGE: `${RANGE.first}-${RANGE.last}`,
        PATH: `${process.env.PATH ?? ''}:/usr/local/go/bin`,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

const lastLine = (s: string) => s.trim().split('\n').at(-1) ?? '';
const serverOf = (kubeconfig: string) => /server: (\S+)/.exec(fs.readFileSync(kubeconfig, 'utf8'))?.[1];

let tmp: string;
let checkouts: string[];
let first: Run[];

describe('two checkouts on one machine', () => {
  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vcp-two-checkouts-'));
    // Fake checkouts whose hashes pick the same slot: of any three, two share one of the two slots.
    const roots = [0, 1, 2].map((i) => path.join(tmp, `checkout-${i}`, '.data', 'k8s'));
    const slot = (root: string) => preferredPortBase(portBaseKey(NAME, root), RANGE);
    const pair = roots.flatMap((a, i) => roots.slice(i + 1).filter((b) => slot(a) === slot(b)).map((b) => [a, b]))[0];
    checkouts = pair ?? [];
    expect(checkouts).toHaveLength(2);
    first = await Promise.all(checkouts.map((dir) => cli('up', dir)));
  }, 300_000);

  afterAll(async () => {
    for (const dir of checkouts ?? []) {
      const down = await cli('down', dir);
      expect(down.code, down.stderr).toBe(0);
      process.env.VCP_K8S_DATA_DIR = dir;
      try {
        expect(strayProcesses(NAME)).toEqual([]);
      } finally {
        delete process.env.VCP_K8S_DATA_DIR;
      }
    }
    fs.rmSync(tmp, { recursive: true, force: true });
  }, 120_000);

  it('both start, on different port bases of the range, each with its own working kubeconfig', async () => {
    for (const r of first) expect(r.code, r.stderr).toBe(0);
    const kubeconfigs = first.map((r) => lastLine(r.stdout));
    kubeconfigs.forEach((k, i) => expect(k).toBe(path.join(checkouts[i] ?? '', NAME, 'kubeconfig')));
    const servers = kubeconfigs.map(serverOf);
    const apiPorts = [RANGE.first, RANGE.last].map((b) => `https://127.0.0.1:${b + PORT_OFFSETS.apiserver}`);
    expect([...servers].sort()).toEqual(apiPorts.sort());
    // The one that lost the race says where it went and why.
    expect(first.map((r) => r.stderr).join('\n')).toMatch(/port base \d+ is taken: port \d+ \(etcdClient\) is in use/);
    for (const k of kubeconfigs) expect(await checkNodesReady(clientsFor(k), 3)).toMatch(/3 nodes Ready/);
  }, 120_000);

  it('keeps each checkout on its own base: a second k8s:up reuses the running cluster', async () => {
    const again = await cli('up', checkouts[0] ?? '');
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/already running/);
    expect(serverOf(lastLine(again.stdout))).toBe(serverOf(lastLine(first[0]?.stdout ?? '')));
    expect(fs.readFileSync(path.join(checkouts[0] ?? '', `.port-base-${NAME}`), 'utf8').trim()).toMatch(/^\d+$/);
  }, 60_000);
});
