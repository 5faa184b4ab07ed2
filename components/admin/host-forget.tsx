"use client";

import { HostDangerButton, type HostDangerState } from "./host-danger-dialog";

export type HostForgetState = HostDangerState;

/**
 * Forget: for a host that is gone for good. Its clusters' records end at once, without a call to the host
 * (draining would wait for ever on an API server that no longer exists).
 */
export function HostForgetButton({
  host,
  liveClusters,
  action,
}: {
  host: { id: string; name: string };
  liveClusters: number;
  action: (prev: HostForgetState, form: FormData) => Promise<HostForgetState>;
}) {
  return (
    <HostDangerButton
      host={host}
      action={action}
      copy={{
        verb: "Forget",
        title: `Forget ${host.name}?`,
        description: `Only for a host that is gone for good. The portal stops using it and marks the ${liveClusters} virtual cluster${liveClusters === 1 ? "" : "s"} on it deleted at once, without contacting the host — nothing is cleaned up there. Their teams get the quota back, and each owner sees your reason on the cluster's page. A host that can still be reached should be drained instead.`,
        reasonHint: "e.g. the datacenter hosting it was decommissioned",
        submit: "Forget host",
        submitting: "Forgetting…",
      }}
    />
  );
}
