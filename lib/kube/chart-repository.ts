import { parse } from "yaml";

// What a Helm chart repository offers, read from its index.yaml the way `helm repo add` reads it. Used to tell an
// admin, before anyone requests a cluster, that a host's repository lacks a chart version a template pins.

export type ChartVersionsResult =
  | { state: "listed"; versions: string[] }
  /** OCI registries and local chart directories have no index to read: checked at install time only. */
  | { state: "unlisted"; reason: string }
  | { state: "unreachable"; error: string };

type Index = { entries?: Record<string, { version?: string }[]> };

const CACHE_MS = 60_000;
const cache = new Map<string, { at: number; result: Promise<ChartVersionsResult> }>();

/** The versions of `chart` in the repository at `repo` (cached for a minute; never throws). */
export function chartVersionsIn(repo: string, chart: string, timeoutMs = 3_000): Promise<ChartVersionsResult> {
  const key = `${repo}|${chart}`;
  const hit = cache.get(key);
  if (hit && Date.now() - hit.at < CACHE_MS) return hit.result;
  const result = readIndex(repo, chart, timeoutMs);
  cache.set(key, { at: Date.now(), result });
  return result;
}

async function readIndex(repo: string, chart: string, timeoutMs: number): Promise<ChartVersionsResult> {
  if (!/^https?:\/\//i.test(repo)) {
    return { state: "unlisted", reason: repo.startsWith("oci://") ? "an OCI registry has no index; versions are checked when a cluster is installed" : "a local chart directory holds one chart version" };
  }
  const url = `${repo.replace(/\/+$/, "")}/index.yaml`;
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: "follow" });
    if (!res.ok) return { state: "unreachable", error: `${url} answered ${res.status}` };
    const index = parse(await res.text()) as Index | null;
    const versions = (index?.entries?.[chart] ?? []).map((e) => e.version).filter((v): v is string => typeof v === "string");
    return { state: "listed", versions };
  } catch (e) {
    const err = e as Error;
    return { state: "unreachable", error: `cannot read ${url}: ${err.name === "TimeoutError" ? `no answer within ${timeoutMs / 1000} s` : networkReason(err)}` };
  }
}

/** fetch says only "fetch failed": the reason (ECONNREFUSED, ENOTFOUND …) is in its cause, or the cause's errors. */
function networkReason(e: Error): string {
  const cause = e.cause as (Error & { code?: string; errors?: (Error & { code?: string })[] }) | undefined;
  return cause?.code ?? cause?.errors?.find((x) => x.code)?.code ?? cause?.message ?? e.message;
}
