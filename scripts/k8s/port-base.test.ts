/**
 * The per-checkout port base of a local cluster (scripts/k8s/port-base.ts): derived from the checkout and the
 * name, remembered, and moved on when a real listener holds one of its ports.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { portFree, portsFor } from './ports';
import {
  candidatePortBases,
  choosePortBase,
  DEFAULT_PORT_BASE_RANGE,
  firstChoicePortBase,
  portBaseKey,
  portBaseRange,
  preferredPortBase,
  rememberedPortBase,
  rememberPortBase,
} from './port-base';

let dataDir: string;
const saved = { data: process.env.VCP_K8S_DATA_DIR, range: process.env.VCP_K8S_PORT_RANGE };

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vcp-port-base-'));
  process.env.VCP_K8S_DATA_DIR = dataDir;
  delete process.env.VCP_K8S_PORT_RANGE;
});

afterEach(() => {
  fs.rmSync(dataDir, { recursive: true, force: true });
  for (const [k, v] of [['VCP_K8S_DATA_DIR', saved.data], ['VCP_K8S_PORT_RANGE', saved.range]] as const) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

function listen(port: number): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer().once('error', reject);
    srv.listen(port, '127.0.0.1', () => resolve(srv));
  });
}

/** A port the OS hands out as free now (from the ephemeral range, so it is nobody's fixed port). */
/**
 * A base whose ports, and those of the `count - 1` bases after it, are all free now. Below the ephemeral range:
 * there, other programs' outgoing connections come and go on random ports.
 */
async function freeBases(count: number): Promise<number> {
  for (let base = 31_000; base >= 20_000; base -= 100) {
    const ports = Array.from({ length: count }, (_, i) => Object.values(portsFor(base + 100 * i))).flat();
    if ((await Promise.all(ports.map((p) => portFree(p)))).every(Boolean)) return base;
  }
  throw new Error("no free port base below 31000 on this machine");
}

describe('port base range', () => {
  it('defaults to 20000-32600 and reads VCP_K8S_PORT_RANGE', () => {
    expect(portBaseRange(undefined)).toEqual(DEFAULT_PORT_BASE_RANGE);
    expect(DEFAULT_PORT_BASE_RANGE.last + 59).toBeLessThan(32768); // all ports below the ephemeral range
    expect(portBaseRange('26400-27800')).toEqual({ first: 26400, last: 27800 });
    expect(portBaseRange(' 26400 - 26400 ')).toEqual({ first: 26400, last: 26400 });
  });

  it.each(['26400', 'a-b', '27800-26400', '80-1000', '26400-70000', '-1-5'])('rejects "%s" with a message that says the format', (v) => {
    expect(() => portBaseRange(v)).toThrow(/VCP_K8S_PORT_RANGE must be "first-last".*got/);
  });
});

describe('preferred port base', () => {
  it('is stable, a slot of the range, and differs between checkouts', () => {
    const range = DEFAULT_PORT_BASE_RANGE;
    const a = preferredPortBase(portBaseKey('dev', '/home/me/portal'), range);
    expect(preferredPortBase(portBaseKey('dev', '/home/me/portal'), range)).toBe(a);
    expect(a).toBeGreaterThanOrEqual(range.first);
    expect(a).toBeLessThanOrEqual(range.last);
    expect((a - range.first) % 100).toBe(0);
    const bases = new Set(Array.from({ length: 40 }, (_, i) => preferredPortBase(portBaseKey('dev', `/home/me/checkout-${i}`), range)));
    expect(bases.size).toBeGreaterThan(25); // 40 checkouts over 127 slots: hardly any share one
  });

  it('lists every slot once, from the preferred one on, wrapping around', () => {
    expect(candidatePortBases(26600, { first: 26400, last: 26700 })).toEqual([26600, 26700, 26400, 26500]);
    expect(candidatePortBases(20000, DEFAULT_PORT_BASE_RANGE)).toHaveLength(127);
  });

  it('first tries the base the instance ran on, then the remembered one, then its hash', () => {
    const hashed = preferredPortBase(portBaseKey('dev', dataDir), DEFAULT_PORT_BASE_RANGE);
    expect(rememberedPortBase('dev')).toBeUndefined();
    expect(firstChoicePortBase('dev')).toBe(hashed);
    rememberPortBase('dev', 16400);
    expect(rememberedPortBase('dev')).toBe(16400);
    expect(firstChoicePortBase('dev')).toBe(16400);
    expect(firstChoicePortBase('dev', 21000)).toBe(21000);
    expect(rememberedPortBase('other')).toBeUndefined(); // per name
  });
});

// Choosing a base waits for the machine-wide port lock, which a cluster starting elsewhere may hold a while.
describe('choosePortBase (real binds)', () => {
  it('keeps the remembered base while its ports are free', async () => {
    const base = await freeBases(2);
    process.env.VCP_K8S_PORT_RANGE = `${base}-${base + 100}`;
    rememberPortBase('dev', base);
    expect(await choosePortBase('dev')).toBe(base);
  }, 30_000);

  it('moves to the next base when another program listens on one of its ports, and says why', async () => {
    const base = await freeBases(2);
    process.env.VCP_K8S_PORT_RANGE = `${base}-${base + 100}`;
    const squatter = await listen(base + 43); // the apiserver's port of that base
    try {
      const lines: string[] = [];
      expect(await choosePortBase('dev', { previous: base, log: (l) => lines.push(l) })).toBe(base + 100);
      expect(lines.join('\n')).toMatch(new RegExp(`port ${base + 43} \\(apiserver\\) is in use`));
      expect(lines.join('\n')).toMatch(new RegExp(`using port base ${base + 100} instead of ${base}`));
    } finally {
      await new Promise((r) => squatter.close(r));
    }
  }, 30_000);

  it('fails clearly when every base of the range is taken', async () => {
    const base = await freeBases(2);
    process.env.VCP_K8S_PORT_RANGE = `${base}-${base}`;
    const squatter = await listen(base);
    try {
      await expect(choosePortBase('dev')).rejects.toThrow(/no free port base for cluster "dev".*VCP_K8S_PORT_RANGE/);
    } finally {
      await new Promise((r) => squatter.close(r));
    }
  }, 30_000);
});
