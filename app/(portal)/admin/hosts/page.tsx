import type { Metadata } from "next";
import { Server } from "lucide-react";
import { HostDrainButton } from "@/components/admin/host-drain";
import { HostForgetButton } from "@/components/admin/host-forget";
import { HostLicence } from "@/components/admin/host-licence";
import { HostToggle } from "@/components/admin/host-toggle";
import { LocalHostState } from "@/components/admin/local-host-state";
import { PageHeader } from "@/components/admin/page-header";
import { AutoRefresh } from "@/components/admin/auto-refresh";
import { ChartAvailabilityNote } from "@/components/admin/chart-availability";
import { Badge } from "@/components/ui/badge";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { UsageBar } from "@/components/teams/usage-bar";
import { listHosts } from "@/lib/domain/list-hosts";
import { readLocalHostStatus } from "@/lib/kube/local-host-status";
import { adminContext } from "../guard";
import { drainHostAction, forgetHostAction, removeHostLicenceAction, setHostEnabledAction, setHostLicenceAction } from "./actions";

export const metadata: Metadata = { title: "Host clusters" };

const connectionLabel = { LOCAL: "Local (this machine)", KUBECONFIG: "Kubeconfig (stored encrypted)", IN_CLUSTER: "In-cluster service account" } as const;

/** How the vCluster chart gets installed: "helm" and "flux" are the drivers of lib/kube/drivers. */
const driverLabel = (driver: string) => (driver === "flux" ? "installs through Flux" : driver === "helm" ? "installs with Helm" : `installs with ${driver}`);

export default async function HostsPage() {
  const ctx = await adminContext("host.manage");
  const hosts = await listHosts(ctx);
  const local = hosts.some((h) => h.connection === "LOCAL") ? readLocalHostStatus() : null;

  return (
    <div>
      <PageHeader title="Host clusters" description="Where virtual clusters run. A disabled host takes no new clusters; the ones on it keep being reconciled." />
      {local && (local.state === "building" || local.state === "starting") ? <AutoRefresh seconds={5} /> : null}
      {hosts.length === 0 ? (
        <EmptyState icon={<Server className="size-5" />} title="No host clusters" description="Run npm run db:seed for the local host, or add one with a kubeconfig." />
      ) : (
        <div className="grid gap-4 lg:grid-cols-2">
          {hosts.map((h) => (
            <Card key={h.id} data-host={h.name}>
              <CardHeader
                title={<span className="font-mono">{h.name}</span>}
                description={`${connectionLabel[h.connection]} · ${driverLabel(h.driver)} · API rate limit: ${h.clientQps} requests/s (bursts of ${h.clientBurst})`}
                actions={
                  <>
                    <Badge tone={h.enabled ? "success" : "neutral"} dot>{h.enabled ? "Enabled" : "Disabled"}</Badge>
                    <HostToggle host={{ id: h.id, name: h.name, enabled: h.enabled }} onlyEnabledHost={h.enabled && hosts.filter((x) => x.enabled).length === 1} action={setHostEnabledAction} />
                    <HostLicence host={{ id: h.id, name: h.name }} licence={h.licence} setAction={setHostLicenceAction} removeAction={removeHostLicenceAction} />
                    {h.used.clusters > 0 ? (
                      <>
                        <HostDrainButton host={{ id: h.id, name: h.name }} liveClusters={h.used.clusters} action={drainHostAction} />
                        <HostForgetButton host={{ id: h.id, name: h.name }} liveClusters={h.used.clusters} action={forgetHostAction} />
                      </>
                    ) : null}
                  </>
                }
              />
              <CardBody className="space-y-4">
                {h.connection === "LOCAL" && local ? <LocalHostState status={local} /> : null}
                <div className="space-y-2">
                  <p className="text-xs font-medium text-slate-500 dark:text-slate-400">Reserved by live virtual clusters</p>
                  <div className="grid gap-3 sm:grid-cols-3">
                    <UsageBar size="sm" label="Virtual clusters" resource="clusters" line={{ inUse: h.used.clusters, pending: 0, limit: h.maxClusters }} />
                    <UsageBar size="sm" label="CPU" resource="cpuMillicores" line={{ inUse: h.used.cpuMillicores, pending: 0, limit: h.capacityCpuMillicores }} />
                    <UsageBar size="sm" label="Memory" resource="memoryMiB" line={{ inUse: h.used.memoryMiB, pending: 0, limit: h.capacityMemoryMiB }} />
                  </div>
                </div>
                <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-xs">
                  <dt className="text-slate-500 dark:text-slate-400">Labels</dt>
                  <dd className="flex flex-wrap gap-1">
                    {Object.entries(h.labels).length ? Object.entries(h.labels).map(([k, v]) => <Badge key={k}><span className="font-mono">{k}={v}</span></Badge>) : "none"}
                  </dd>
                  <dt className="text-slate-500 dark:text-slate-400">Endpoint</dt>
                  <dd className="font-mono break-all">{h.endpointPattern ?? "API server address from the kubeconfig"}</dd>
                  <dt className="text-slate-500 dark:text-slate-400">Control plane</dt>
                  <dd>
                    {h.licence ? (
                      <>
                        licensed (vcluster-pro) · vCluster Platform <span className="font-mono break-all">{h.licence.platformHost}</span>, project{" "}
                        <span className="font-mono">{h.licence.project}</span>
                        {h.licence.insecure ? " · TLS not verified" : ""}
                      </>
                    ) : (
                      "open source (vcluster-oss) · no licence"
                    )}
                  </dd>
                  <dt className="text-slate-500 dark:text-slate-400">Chart repo</dt>
                  <dd className="space-y-1">
                    <span className="font-mono break-all">{h.charts.repo}</span>
                    <ChartAvailabilityNote charts={h.charts} />
                  </dd>
                </dl>
              </CardBody>
            </Card>
          ))}
        </div>
      )}
    </div>
  );
}
