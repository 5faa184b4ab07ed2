import type { KubeClient } from "../client";
import { FluxDriver } from "./flux";
import { HelmDriver, type HelmOptions } from "./helm";
import type { ProvisioningDriver } from "./types";

/** The provisioning driver configured on a host cluster (HostCluster.driver: "helm" | "flux"). */
export function driverFor(host: { driver: string; name?: string }, client: KubeClient, helm: HelmOptions = {}): ProvisioningDriver {
  switch (host.driver) {
    case "helm":
      return new HelmDriver(client, helm);
    case "flux":
      return new FluxDriver(client);
    default:
      throw new Error(`host cluster ${host.name ? `"${host.name}" ` : ""}has unknown driver "${host.driver}" (expected "helm" or "flux")`);
  }
}
