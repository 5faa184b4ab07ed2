/**
 * Which port base an instance starts on when none is asked for (docs/local-kubernetes.md "Ports").
 * Two checkouts on one machine each run their own `dev`, so the base is per checkout: derived from a
 * hash of the checkout's data root (<repo>/.data/k8s) and the name, remembered in that data root so it
 * stays the same across restarts and `k8s:down`, and moved on to the next slot of the range when
 * something else holds one of its ports (a real bind tells).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { dataRoot } from './locations';
import { waitForFreePorts } from './ports';

export interface PortBaseRange {
  first: number;
  last: number;
}

/** An instance uses ports base+0 … base+59 (PORT_OFFSETS); bases are this far apart. */
const PORT_BASE_STEP = 100;

/**
 * Above the fixed bases of the test tiers (17400 test, 18400 bench, 18600 test-b) and the former default
 * 16400, below Linux's ephemeral ports (32768+), which outgoing connections take at random.
 */
export const DEFAULT_PORT_BASE_RANGE: PortBaseRange = { first: 20000, last: 32600 };

const RANGE_MESSAGE =
  'VCP_K8S_PORT_RANGE must be "first-last": two port bases between 1024 and 65400, first ≤ last (e.g. 20000-32600)';

const rangeSchema = z
  .string()
  .regex(/^\s*\d+\s*-\s*\d+\s*$/, RANGE_MESSAGE)
  .transform((s) => {
    const [first, last] = s.split('-').map((p) => Number(p.trim()));
    return { first, last };
  })
  .pipe(
    z
      .object({ first: z.number().int().min(1024, RANGE_MESSAGE), last: z.number().int().max(65400, RANGE_MESSAGE) })
      .refine((r) => r.first <= r.last, RANGE_MESSAGE),
  );

/** The range automatic bases come from: VCP_K8S_PORT_RANGE (e.g. "26400-27800") or the default. */
export function portBaseRange(value = process.env.VCP_K8S_PORT_RANGE): PortBaseRange {
  if (value === undefined || value === '') return DEFAULT_PORT_BASE_RANGE;
  const r = rangeSchema.safeParse(value);
  if (!r.success) throw new Error(`${RANGE_MESSAGE}; got "${value}"`);
  return r.data;
}

/** The slot of the range that a hash of `key` (checkout data root + name) picks. */
export function preferredPortBase(key: string, range: PortBaseRange): number {
  const slots = Math.floor((range.last - range.first) / PORT_BASE_STEP) + 1;
  const h = crypto.createHash('sha256').update(key).digest().readUInt32BE(0);
  return range.first + (h % slots) * PORT_BASE_STEP;
}

/** Every slot of the range, starting at `preferred` and wrapping around. */
export function candidatePortBases(preferred: number, range: PortBaseRange): number[] {
  const slots = Math.floor((range.last - range.first) / PORT_BASE_STEP) + 1;
  const start = Math.max(0, Math.floor((preferred - range.first) / PORT_BASE_STEP));
  return Array.from({ length: slots }, (_, i) => range.first + ((start + i) % slots) * PORT_BASE_STEP);
}

/** The hash key of an instance: its checkout (data root) and name. */
export function portBaseKey(name: string, root = dataRoot()): string {
  return `${path.resolve(root)}\n${name}`;
}

function rememberedFile(name: string): string {
  return path.join(dataRoot(), `.port-base-${name}`);
}

export function rememberedPortBase(name: string): number | undefined {
  try {
    const n = Number(fs.readFileSync(rememberedFile(name), 'utf8').trim());
    return Number.isInteger(n) && n >= 1024 && n <= 65400 ? n : undefined;
  } catch {
    return undefined;
  }
}

export function rememberPortBase(name: string, portBase: number): void {
  fs.mkdirSync(dataRoot(), { recursive: true });
  const tmp = `${rememberedFile(name)}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${portBase}\n`);
  fs.renameSync(tmp, rememberedFile(name));
}

/** The base `name` would try first: the one it ran on last, else the one its hash picks. */
export function firstChoicePortBase(name: string, previous?: number): number {
  return previous ?? rememberedPortBase(name) ?? preferredPortBase(portBaseKey(name), portBaseRange());
}

/**
 * The first base, in the order of firstChoicePortBase then the range's slots, whose ports all bind now.
 * Call it with the instance's own processes stopped, under withPortLock (so no other instance is between
 * its choice and its bind). Sockets that merely linger after the instance's own last run are waited out
 * on its own base; on any other base anything in the way means "next".
 */
export async function choosePortBase(name: string, opts: { previous?: number; log?: (line: string) => void } = {}): Promise<number> {
  const log = opts.log ?? (() => {});
  const range = portBaseRange();
  const own = opts.previous ?? rememberedPortBase(name);
  const order = [...new Set([...(own === undefined ? [] : [own]), ...candidatePortBases(preferredPortBase(portBaseKey(name), range), range)])];
  const first = order[0];
  for (const base of order) {
    const taken = await waitForFreePorts(base, base === own ? 20_000 : 0);
    if (!taken) {
      if (base !== first) log(`using port base ${base} instead of ${first}`);
      return base;
    }
    log(`port base ${base} is taken: port ${taken.port} (${taken.what}) is in use by ${taken.holder}`);
  }
  throw new Error(
    `no free port base for cluster "${name}" in ${range.first}-${range.last} (every one has a port in use); ` +
      'stop what holds them, pass --port-base (portBase), or set VCP_K8S_PORT_RANGE to another range',
  );
}
