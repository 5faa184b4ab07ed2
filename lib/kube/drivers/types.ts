import type { ClusterSpec } from "../cluster-spec";

export interface DriverStatus {
  /** A release (or HelmRelease object) exists for this virtual cluster. */
  installed: boolean;
  /** The provisioning tool reports success (helm: deployed; flux: Ready=True for the current generation). */
  ready: boolean;
  /** Why it is not ready, in words a person can act on. */
  message?: string;
  /** helm: the release's status (deployed, pending-install, …) and revision, as `helm status` said. */
  helm?: { status: string; revision: number };
}

export interface InstallOptions {
  /**
   * Whether nobody else can be working on this release (the reconciler: no live claim on the cluster other
   * than the caller's). Decides whether a release left `pending-*` is repaired now. Without it, a pending
   * release is reported as busy and the caller retries.
   */
  releaseAbandoned?: () => Promise<boolean>;
  /**
   * The status the caller has just read (status()), or knows (no namespace yet: no release). Saves the
   * driver reading it again: `helm status` is one more helm process and two API requests per install.
   */
  status?: DriverStatus;
}

/**
 * How the vcluster chart gets onto a host. Every method is idempotent and safe to call again after a crash;
 * none waits for the virtual cluster to come up (lib/kube/vcluster-control-plane.ts observe() tells that).
 */
export interface ProvisioningDriver {
  readonly name: "helm" | "flux";
  install(spec: ClusterSpec, opts?: InstallOptions): Promise<void>;
  status(spec: ClusterSpec): Promise<DriverStatus>;
  uninstall(spec: ClusterSpec): Promise<{ gone: boolean }>;
}
