import type { ClusterSpec } from "../cluster-spec";

export interface DriverStatus {
  /** A release (or HelmRelease object) exists for this virtual cluster. */
  installed: boolean;
  /** The provisioning tool reports success (helm: deployed; flux: Ready=True for the current generation). */
  ready: boolean;
  /** Why it is not ready, in words a person can act on. */
  message?: string;
}

/**
 * How the vcluster chart gets onto a host. Every method is idempotent and safe to call again after a crash;
 * none waits for the virtual cluster to come up (lib/kube/vcluster-ops.ts observe() tells that).
 */
export interface ProvisioningDriver {
  readonly name: "helm" | "flux";
  install(spec: ClusterSpec): Promise<void>;
  status(spec: ClusterSpec): Promise<DriverStatus>;
  uninstall(spec: ClusterSpec): Promise<{ gone: boolean }>;
}
