// Command-line options of bench/provisioning.ts (see its header for the list and the defaults).

export type Options = {
  clusters: number;
  workers: number[];
  concurrency: number;
  qps: number;
  burst: number;
  emulatorPollMs: number;
  timeoutS: number;
  template: string;
  keepCluster: boolean;
  /** Workers watch the host (the product's default); false: they poll it, as with WORKER_WATCH_HOSTS=false. */
  watch: boolean;
};

export function options(argv: string[]): Options {
  const kv = new Map<string, string>();
  for (const a of argv) {
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(a);
    if (m) kv.set(m[1]!, m[2] ?? "true");
  }
  const int = (k: string, d: number) => {
    const v = kv.get(k);
    if (v === undefined) return d;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new Error(`--${k} must be a non-negative integer (got "${v}")`);
    return n;
  };
  return {
    clusters: Math.max(1, int("clusters", 50)),
    workers: (kv.get("workers") ?? "1,2,4").split(",").map((s) => Math.max(1, Number(s) || 1)),
    concurrency: Math.max(1, int("concurrency", 1)),
    qps: int("qps", 20),
    burst: Math.max(1, int("burst", 40)),
    emulatorPollMs: Math.max(100, int("emulator-poll-ms", 500)),
    timeoutS: Math.max(10, int("timeout", 300)),
    template: kv.get("template") ?? "sandbox",
    keepCluster: kv.has("keep-cluster"),
    watch: kv.get("watch") !== "false",
  };
}
