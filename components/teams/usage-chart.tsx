"use client";

import { useId, useState } from "react";
import { Area, AreaChart, CartesianGrid, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { cn } from "@/components/ui/cn";
import { formatDay } from "@/components/ui/datetime";
import { useTimeSettings } from "@/components/ui/local-time";
import { formatCpu, formatMemory } from "@/lib/lifecycle/units";

export type ChartPoint = { day: string; live: boolean; clusters: number | null; cpuMillicores: number | null; memoryMiB: number | null };
type Metric = "clusters" | "cpuMillicores" | "memoryMiB";

const metrics: { key: Metric; label: string; unit: string; format: (n: number) => string; axis: (n: number) => string }[] = [
  { key: "cpuMillicores", label: "CPU", unit: "cores", format: formatCpu, axis: (n) => `${+(n / 1000).toFixed(1)}` },
  { key: "memoryMiB", label: "Memory", unit: "GiB", format: formatMemory, axis: (n) => `${+(n / 1024).toFixed(1)}` },
  { key: "clusters", label: "Clusters", unit: "clusters", format: (n) => String(n), axis: (n) => String(n) },
];

/**
 * Reserved resources per day over the last 30 days (daily snapshots) with today's live figure, against
 * the quota line. The same numbers are in a table for screen readers and for anyone who prefers text.
 */
export function UsageChart({ points, limits }: { points: ChartPoint[]; limits: Record<Metric, number> | null }) {
  const [metric, setMetric] = useState<Metric>("cpuMillicores");
  // The snapshots' days are calendar days: written in the person's locale, moved by no time zone.
  const { locale } = useTimeSettings();
  const shortDay = (day: string) => formatDay(day, locale);
  const m = metrics.find((x) => x.key === metric)!;
  const gradientId = useId().replace(/:/g, "");
  const recorded = points.filter((p) => p[metric] !== null);
  const limit = limits?.[metric];

  return (
    <div>
      <div role="group" aria-label="Metric shown in the chart" className="mb-3 inline-flex rounded-lg border border-slate-200 p-0.5 text-sm dark:border-slate-700">
        {metrics.map((x) => (
          <button
            key={x.key}
            type="button"
            aria-pressed={metric === x.key}
            onClick={() => setMetric(x.key)}
            className={cn(
              "rounded-md px-3 py-1",
              metric === x.key ? "bg-slate-900 font-medium text-white dark:bg-slate-100 dark:text-slate-900" : "text-slate-600 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800",
            )}
          >
            {x.label}
          </button>
        ))}
      </div>
      <p className="mb-1 text-xs text-slate-500 dark:text-slate-400">{m.label} reserved, in {m.unit}</p>
      {/* A picture for the eye only: the same numbers are in the table below. recharts' keyboard layer is off,
          so nothing inside the hidden picture can take focus. */}
      {/* overflow-hidden: the tooltip keeps its last place when hidden, which a narrower window would push past the edge. */}
      <div className="h-56 w-full overflow-hidden text-slate-500 dark:text-slate-400" aria-hidden data-testid="usage-chart">
        <ResponsiveContainer width="100%" height="100%">
          <AreaChart data={points} margin={{ top: 8, right: 12, bottom: 0, left: -12 }} accessibilityLayer={false}>
            <defs>
              <linearGradient id={gradientId} x1="0" y1="0" x2="0" y2="1">
                <stop offset="0%" stopColor="#2f6fed" stopOpacity={0.35} />
                <stop offset="100%" stopColor="#2f6fed" stopOpacity={0.02} />
              </linearGradient>
            </defs>
            <CartesianGrid strokeDasharray="3 3" stroke="currentColor" strokeOpacity={0.15} vertical={false} />
            <XAxis dataKey="day" tickFormatter={shortDay} tick={{ fill: "currentColor", fontSize: 11 }} stroke="currentColor" strokeOpacity={0.3} minTickGap={24} />
            <YAxis tickFormatter={m.axis} tick={{ fill: "currentColor", fontSize: 11 }} stroke="currentColor" strokeOpacity={0.3} domain={[0, "auto"]} allowDecimals={metric !== "clusters"} />
            <Tooltip
              formatter={(v) => [typeof v === "number" ? m.format(v) : "no snapshot", m.label]}
              labelFormatter={(d) => (d === points[points.length - 1]?.day ? `${shortDay(String(d))} (now)` : shortDay(String(d)))}
              contentStyle={{ borderRadius: 8, fontSize: 12 }}
            />
            {limit !== undefined ? (
              <ReferenceLine y={limit} ifOverflow="extendDomain" stroke="#dc2626" strokeDasharray="6 4" label={{ value: `quota ${m.format(limit)}`, position: "insideTopRight", fill: "#dc2626", fontSize: 11 }} />
            ) : null}
            <Area type="monotone" dataKey={metric} stroke="#2f6fed" strokeWidth={2} fill={`url(#${gradientId})`} connectNulls={false} dot={{ r: 2 }} isAnimationActive={false} />
          </AreaChart>
        </ResponsiveContainer>
      </div>
      <details className="mt-2 text-sm">
        <summary className="cursor-pointer text-slate-600 dark:text-slate-300">Show the numbers ({recorded.length} day{recorded.length === 1 ? "" : "s"} recorded)</summary>
        <table className="mt-2 w-full text-left text-xs tabular-nums">
          <caption className="sr-only">Usage over the last 30 days: clusters, CPU and memory reserved per day</caption>
          <thead className="text-slate-600 dark:text-slate-300">
            <tr>
              <th scope="col" className="py-1 font-medium">Day</th>
              <th scope="col" className="py-1 font-medium">Clusters</th>
              <th scope="col" className="py-1 font-medium">CPU</th>
              <th scope="col" className="py-1 font-medium">Memory</th>
            </tr>
          </thead>
          <tbody>
            {points
              .filter((p) => p.clusters !== null)
              .reverse()
              .map((p) => (
                <tr key={p.day} className="border-t border-slate-100 dark:border-slate-800">
                  <th scope="row" className="py-1 font-normal">{p.live ? `${shortDay(p.day)} (now)` : shortDay(p.day)}</th>
                  <td className="py-1">{p.clusters}</td>
                  <td className="py-1">{formatCpu(p.cpuMillicores ?? 0)}</td>
                  <td className="py-1">{formatMemory(p.memoryMiB ?? 0)}</td>
                </tr>
              ))}
          </tbody>
        </table>
      </details>
    </div>
  );
}
