import { queryOptions } from "@tanstack/react-query";
import type { TClusterActivity, TClusterStatus } from "@/lib/domain/get-cluster-detail";

// TanStack Query key factories and fetchers for client components (coder style): one place knows the keys,
// so an action can invalidate exactly what it changed.

export const clusterKeys = {
  all: ["clusters"] as const,
  lists: () => [...clusterKeys.all, "list"] as const,
  details: () => [...clusterKeys.all, "detail"] as const,
  detail: (id: string) => [...clusterKeys.details(), id] as const,
};

/** An API error with the status and the readable message of the portal's JSON error body. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

async function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  const res = await fetch(url, { signal, headers: { accept: "application/json" }, cache: "no-store" });
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
    throw new ApiError(res.status, body?.error?.message ?? `Request failed (${res.status})`);
  }
  return (await res.json()) as T;
}

export const fetchClusterStatus = (id: string, signal?: AbortSignal) => getJson<TClusterStatus>(`/api/v1/clusters/${encodeURIComponent(id)}`, signal);

/** Poll every 2 s while the reconciler is working, every 15 s while a person must act, not at all when settled. */
export const POLL_MS: Record<TClusterActivity, number | false> = { moving: 2_000, waiting: 15_000, stable: false };

export function clusterStatusQuery(id: string, initialData?: TClusterStatus) {
  return queryOptions({
    queryKey: clusterKeys.detail(id),
    queryFn: ({ signal }) => fetchClusterStatus(id, signal),
    initialData,
    // Server-rendered data is fresh when the page arrives.
    initialDataUpdatedAt: initialData ? Date.now() : undefined,
    refetchInterval: (query) => (query.state.data ? POLL_MS[query.state.data.activity] : false),
    refetchIntervalInBackground: false,
    // A 404 will not turn into a 200 by asking again.
    retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
  });
}
