"use client";

import { useQueryClient } from "@tanstack/react-query";
import { AlertCircle, Download, Loader2 } from "lucide-react";
import { type MouseEvent, type ReactNode, useState } from "react";
import { buttonClasses } from "@/components/ui/button";
import { clusterKeys } from "@/lib/queries/clusters";

type Failure = { message: string; signIn: boolean };

/** Why a download failed, in words for the page: the API's own message, or what the status means. */
async function failureOf(res: Response): Promise<Failure> {
  if (res.status === 401) return { message: "Your session has ended, so the kubeconfig was not downloaded. Sign in again, then download it.", signIn: true };
  const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
  return { message: `The kubeconfig was not downloaded: ${body?.error?.message ?? `the portal answered ${res.status}`}`, signIn: false };
}

/**
 * The kubeconfig download (GET /api/v1/clusters/{id}/kubeconfig with the session cookie). Fetched here, not
 * followed as a link, so a refusal (a cluster that stopped being ready, revoked access, an ended session)
 * shows on the page instead of as a broken file; without JavaScript it is still a plain download link.
 */
export function KubeconfigDownload({ clusterId, filename, children }: { clusterId: string; filename: string; /** Shown beside the button. */ children?: ReactNode }) {
  const href = `/api/v1/clusters/${encodeURIComponent(clusterId)}/kubeconfig`;
  const queryClient = useQueryClient();
  const [pending, setPending] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);

  async function download(e: MouseEvent<HTMLAnchorElement>) {
    e.preventDefault();
    setPending(true);
    setFailure(null);
    try {
      const res = await fetch(href, { cache: "no-store" });
      if (!res.ok) return setFailure(await failureOf(res));
      const url = URL.createObjectURL(await res.blob());
      const a = Object.assign(document.createElement("a"), { href: url, download: filename });
      a.click();
      // Revoked on the next task: the click has handed the blob to the download by then.
      setTimeout(() => URL.revokeObjectURL(url), 0);
    } catch {
      setFailure({ message: "The kubeconfig was not downloaded: the portal could not be reached. Check your connection and try again.", signIn: false });
    } finally {
      setPending(false);
      // "Your last download" and the validity hint follow the new credential.
      void queryClient.invalidateQueries({ queryKey: clusterKeys.detail(clusterId) });
    }
  }

  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-center gap-3">
        {/* Stays the same element while it works, so focus stays on it. */}
        <a href={href} download={filename} onClick={(e) => (pending ? e.preventDefault() : void download(e))} aria-busy={pending || undefined} className={buttonClasses()}>
          {pending ? <Loader2 className="size-4 animate-spin motion-reduce:animate-none" aria-hidden /> : <Download className="size-4" aria-hidden />}
          {pending ? "Downloading…" : "Download kubeconfig"}
        </a>
        {children}
      </div>
      <div role="alert" className="empty:hidden" data-testid="kubeconfig-error">
        {failure ? (
          <p className="flex gap-2 text-sm text-red-700 dark:text-red-400">
            <AlertCircle className="mt-0.5 size-4 shrink-0" aria-hidden />
            <span>
              {failure.message}
              {failure.signIn ? (
                <>
                  {" "}
                  <a href={`/signin?${new URLSearchParams({ callbackUrl: window.location.pathname })}`} className="font-medium underline underline-offset-2">
                    Sign in
                  </a>
                </>
              ) : null}
            </span>
          </p>
        ) : null}
      </div>
    </div>
  );
}
