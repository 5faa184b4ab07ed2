import { KeyRound } from "lucide-react";
import { KubeconfigDownload } from "@/components/clusters/kubeconfig-download";
import { RelativeTime } from "@/components/clusters/relative-time";
import { CommandLine } from "@/components/ui/copy-button";
import { LocalTime } from "@/components/ui/local-time";
import type { TClusterStatus } from "@/lib/domain/get-cluster-detail";

function When({ iso }: { iso: string }) {
  return <LocalTime date={iso} className="font-medium text-slate-700 dark:text-slate-200" />;
}

/**
 * How to reach a ready cluster: the kubeconfig download (a personal token, valid until the time shown) and the
 * commands to use it.
 */
export function ConnectPanel({
  clusterId,
  filename,
  releaseName,
  namespace,
  validity,
  yours,
}: {
  clusterId: string;
  filename: string;
  releaseName: string | null;
  namespace: string | null;
  validity?: TClusterStatus["kubeconfigValidity"];
  yours?: TClusterStatus["yourCredential"];
}) {
  return (
    <div className="space-y-4">
      <KubeconfigDownload clusterId={clusterId} filename={filename}>
        <p className="text-sm text-slate-500 dark:text-slate-400">
          Saved as <code className="font-mono text-[13px]">{filename}</code>. Each download is recorded in the audit log.
        </p>
      </KubeconfigDownload>
      <div className="flex gap-2 rounded-lg bg-slate-50 px-3 py-2 text-sm text-slate-600 dark:bg-slate-800/60 dark:text-slate-300" data-testid="kubeconfig-validity">
        <KeyRound className="mt-0.5 size-4 shrink-0" aria-hidden />
        <div className="space-y-1">
          <p>
            The kubeconfig holds a token of your own, not a shared admin certificate.
            {validity ? (
              <>
                {" "}
                Downloaded now, it is valid until <When iso={validity.validUntil} />
                {validity.boundBy === "cluster" ? " (when the cluster ends)" : ""}; download a new one after that.
              </>
            ) : null}
          </p>
          {yours && yours.state === "active" ? (
            <p>
              Your last download (<RelativeTime date={yours.issuedAt} />) is valid until <When iso={yours.expiresAt} />.
            </p>
          ) : null}
        </div>
      </div>
      <div className="space-y-2">
        <CommandLine command={`export KUBECONFIG=~/Downloads/${filename}`} label="Copy the export KUBECONFIG command" />
        <CommandLine command="kubectl get ns" label="Copy the kubectl command" />
        {releaseName && namespace ? <CommandLine command={`vcluster connect ${releaseName} -n ${namespace}`} label="Copy the vcluster connect command" /> : null}
      </div>
    </div>
  );
}
