// Measurement helpers of bench/provisioning.ts: per-cluster time spans of steps and host operations, percentiles,
// prom-client histograms read back, number formatting.
import type { Histogram } from "prom-client";
import type { ClusterSpec } from "@/lib/kube/cluster-spec";
import type { HostOps, HostOpsFactory } from "@/lib/reconciler/host-ops";

type Span = { start: number; end: number };

/** Per-cluster spans of steps and of host operations (kube client calls vs helm processes), plus op errors. */
export class Recorder {
  readonly steps = new Map<string, Span[]>();
  readonly kube = new Map<string, Span[]>();
  readonly helm = new Map<string, Span[]>();
  readonly errors = new Map<string, number>();
  private readonly open = new Map<string, number>();

  private push(m: Map<string, Span[]>, id: string, s: Span) {
    const l = m.get(id);
    if (l) l.push(s);
    else m.set(id, [s]);
  }

  readonly probe = {
    stepStarted: (id: string) => this.open.set(id, Date.now()),
    stepFinished: (id: string) => {
      const start = this.open.get(id);
      this.open.delete(id);
      if (start !== undefined) this.push(this.steps, id, { start, end: Date.now() });
    },
  };

  /** Wraps every host operation to time it per cluster. */
  wrap(inner: HostOpsFactory): HostOpsFactory {
    return (host, signal) => {
      const ops = inner(host, signal);
      const timed =
        <A extends unknown[], R>(kind: "kube" | "helm", name: string, fn: (spec: ClusterSpec, ...rest: A) => Promise<R>) =>
        async (spec: ClusterSpec, ...rest: A): Promise<R> => {
          const start = Date.now();
          try {
            return await fn(spec, ...rest);
          } catch (e) {
            const key = `${name}: ${(e as Error).message.split("\n")[0]!.slice(0, 140)}`;
            this.errors.set(key, (this.errors.get(key) ?? 0) + 1);
            throw e;
          } finally {
            this.push(kind === "kube" ? this.kube : this.helm, spec.clusterId, { start, end: Date.now() });
          }
        };
      const wrapped: HostOps = {
        ...ops,
        observe: timed("kube", "observe", ops.observe),
        applyHostObjects: timed("kube", "applyHostObjects", ops.applyHostObjects),
        install: timed("helm", "install", ops.install),
        releaseStatus: timed("helm", "releaseStatus", ops.releaseStatus),
        sleep: timed("kube", "sleep", ops.sleep),
        removeWorkloadPods: timed("kube", "removeWorkloadPods", ops.removeWorkloadPods),
        wake: timed("kube", "wake", ops.wake),
        deleteAll: timed("helm", "deleteAll", ops.deleteAll),
      };
      return wrapped;
    };
  }
}

/** Milliseconds of `spans` inside [from, to]. */
export function within(spans: Span[] | undefined, from: number, to: number): number {
  let ms = 0;
  for (const s of spans ?? []) ms += Math.max(0, Math.min(s.end, to) - Math.max(s.start, from));
  return ms;
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

type Histo = { count: number; sum: number; byLabel: Map<string, number> };

export async function readHistogram(h: Histogram<string>, key?: (l: Partial<Record<string, string | number>>) => string): Promise<Histo> {
  const out: Histo = { count: 0, sum: 0, byLabel: new Map() };
  for (const v of (await h.get()).values) {
    if (v.metricName?.endsWith("_count")) {
      out.count += v.value;
      if (key) out.byLabel.set(key(v.labels), (out.byLabel.get(key(v.labels)) ?? 0) + v.value);
    } else if (v.metricName?.endsWith("_sum")) out.sum += v.value;
  }
  return out;
}

export const f1 = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : "-");
export const f2 = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : "-");
export const pct = (part: number, whole: number) => (whole > 0 ? `${((100 * part) / whole).toFixed(1)}%` : "-");
