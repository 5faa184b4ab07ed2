"use client";

import { HostDangerButton, type HostDangerState } from "./host-danger-dialog";

export type HostDrainState = HostDangerState;

/** Drain: the host stops taking clusters and the reconciler removes every virtual cluster on it. */
export function HostDrainButton({
  host,
  liveClusters,
  action,
}: {
  host: { id: string; name: string };
  liveClusters: number;
  action: (prev: HostDrainState, form: FormData) => Promise<HostDrainState>;
}) {
  return (
    <HostDangerButton
      host={host}
      action={action}
      copy={{
        verb: "Drain",
        title: `Drain ${host.name}?`,
        description: `The host stops taking clusters and the ${liveClusters} virtual cluster${liveClusters === 1 ? "" : "s"} on it are removed — their control planes and data live on this host. Each owner sees your reason on the cluster's page.`,
        reasonHint: "e.g. the host is being retired on Friday",
        submit: "Drain host",
        submitting: "Draining…",
      }}
    />
  );
}
