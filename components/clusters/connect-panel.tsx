import { Download } from "lucide-react";
import { buttonClasses } from "@/components/ui/button";
import { CommandLine } from "@/components/ui/copy-button";

/** How to reach a ready cluster: the kubeconfig download and the three commands to use it. */
export function ConnectPanel({ clusterId, filename, releaseName, namespace }: { clusterId: string; filename: string; releaseName: string | null; namespace: string | null }) {
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center gap-3">
        <a href={`/api/clusters/${clusterId}/kubeconfig`} download={filename} className={buttonClasses()}>
          <Download className="size-4" aria-hidden />
          Download kubeconfig
        </a>
        <p className="text-sm text-slate-500 dark:text-slate-400">
          Saved as <code className="font-mono text-[13px]">{filename}</code>. Each download is recorded in the audit log.
        </p>
      </div>
      <div className="space-y-2">
        <CommandLine command={`export KUBECONFIG=~/Downloads/${filename}`} label="Copy the export KUBECONFIG command" />
        <CommandLine command="kubectl get ns" label="Copy the kubectl command" />
        {releaseName && namespace ? <CommandLine command={`vcluster connect ${releaseName} -n ${namespace}`} label="Copy the vcluster connect command" /> : null}
      </div>
    </div>
  );
}
