/** Tiny flag parser shared by the k8s CLI scripts: --name x, --name=x, --port-base 16400. */
export function parseArgs(argv: string[]): Record<string, string | true> {
  const out: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (!a.startsWith('--')) continue;
    const eq = a.indexOf('=');
    if (eq > 0) {
      out[a.slice(2, eq)] = a.slice(eq + 1);
    } else if (i + 1 < argv.length && !(argv[i + 1] ?? '').startsWith('--')) {
      out[a.slice(2)] = argv[++i] ?? '';
    } else {
      out[a.slice(2)] = true;
    }
  }
  return out;
}

export function intArg(v: string | true | undefined, flag: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v === true || !Number.isInteger(n) || n < 1024 || n > 65400) {
    throw new Error(`${flag} must be an integer port between 1024 and 65400`);
  }
  return n;
}
