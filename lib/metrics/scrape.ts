import { createHash, timingSafeEqual } from "node:crypto";

// What /api/metrics needs besides the metrics themselves: a bearer token compared in constant time, and a
// short cache in front of the database-derived metrics so frequent (or hostile) scrapes cost at most one
// set of aggregate queries per DB_METRICS_TTL_MS.

/** How long the fleet metrics from the database are reused between scrapes. */
export const DB_METRICS_TTL_MS = 5_000;

/**
 * True when `authorization` is exactly `Bearer <expected>`. Both sides are hashed first, so the comparison
 * takes the same time whatever the length or content of the presented token.
 */
export function bearerTokenMatches(authorization: string | null | undefined, expected: string): boolean {
  const m = /^Bearer +(\S+) *$/i.exec(authorization ?? "");
  const presented = createHash("sha256")
    .update(m?.[1] ?? "")
    .digest();
  const wanted = createHash("sha256").update(expected).digest();
  return timingSafeEqual(presented, wanted) && m !== null;
}

/**
 * Memoizes an async load for `ttlMs`. Callers during a load share it (one query for a burst of scrapes);
 * a failed load is not kept, so the next call tries again.
 */
export function cachedFor<T>(ttlMs: number, load: () => Promise<T>, now: () => number = () => Date.now()): () => Promise<T> {
  let entry: { at: number; value: Promise<T> } | null = null;
  return () => {
    if (entry && now() - entry.at < ttlMs) return entry.value;
    const value = load();
    const mine = { at: now(), value };
    entry = mine;
    value.catch(() => {
      if (entry === mine) entry = null;
    });
    return value;
  };
}

export type ScrapeSources = {
  /** METRICS_TOKEN; undefined turns the endpoint off. */
  token: string | undefined;
  contentType: string;
  /** This process's metrics (cheap, in memory). */
  processMetrics: () => Promise<string>;
  /** Fleet metrics from the database (cache it: see cachedFor). */
  fleetMetrics: () => Promise<string>;
};

/** The response of a scrape: 404 when off, 401 without the right token, else the metrics. */
export async function scrapeResponse(req: Request, s: ScrapeSources): Promise<Response> {
  if (!s.token) return new Response("Not found\n", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  if (!bearerTokenMatches(req.headers.get("authorization"), s.token)) {
    return new Response("Unauthorized: send Authorization: Bearer <METRICS_TOKEN>\n", {
      status: 401,
      headers: { "Content-Type": "text/plain; charset=utf-8", "WWW-Authenticate": 'Bearer realm="metrics"', "Cache-Control": "no-store" },
    });
  }
  const [own, fleet] = await Promise.all([s.processMetrics(), s.fleetMetrics()]);
  const body = own.endsWith("\n") || own === "" ? own + fleet : `${own}\n${fleet}`;
  return new Response(body, { headers: { "Content-Type": s.contentType, "Cache-Control": "no-store" } });
}
