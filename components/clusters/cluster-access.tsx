"use client";

import { UserX } from "lucide-react";
import { useActionState, useState } from "react";
import { ActionMessage } from "@/components/clusters/cluster-actions";
import { RelativeTime } from "@/components/clusters/relative-time";
import { type FormAction, initialState, useActionFeedback } from "@/components/clusters/use-action-feedback";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { ConfirmForm } from "@/components/ui/confirm-form";
import { Dialog } from "@/components/ui/dialog";
import { TableScroll } from "@/components/ui/table-scroll";
import type { TClusterAccess, TClusterCredential } from "@/lib/domain/list-cluster-credentials";

const th = "px-3 py-2 font-medium";
const td = "px-3 py-2 whitespace-nowrap text-slate-600 dark:text-slate-300";

const STATE: Record<TClusterCredential["state"], { label: string; tone: BadgeTone }> = {
  active: { label: "Active", tone: "success" },
  expired: { label: "Expired", tone: "neutral" },
  revoking: { label: "Revoked, pending", tone: "warning" },
  revoked: { label: "Revoked", tone: "danger" },
};

/**
 * Who holds a kubeconfig of this cluster (each a ServiceAccount of their own inside it), for the owner, the team's
 * leads and admins; leads and admins can revoke one behind a confirmation dialog.
 */
export function ClusterAccess({ clusterId, clusterName, access, revokeAction }: { clusterId: string; clusterName: string; access: TClusterAccess; revokeAction: FormAction }) {
  return (
    <Card>
      <CardHeader title="Access" description="Who holds a kubeconfig of this cluster: each is a ServiceAccount of their own inside it." />
      {access.credentials.length === 0 ? (
        <CardBody>
          <p className="text-sm text-slate-500 dark:text-slate-400">Nobody has downloaded a kubeconfig of this cluster yet.</p>
        </CardBody>
      ) : (
        <CredentialTable clusterId={clusterId} clusterName={clusterName} access={access} revokeAction={revokeAction} />
      )}
    </Card>
  );
}

function CredentialTable({ clusterId, clusterName, access, revokeAction }: { clusterId: string; clusterName: string; access: TClusterAccess; revokeAction: FormAction }) {
  return (
    <TableScroll label="Who holds a kubeconfig">
      <table className="w-full text-left text-sm" data-testid="cluster-access">
        <caption className="sr-only">People holding a kubeconfig of {clusterName}</caption>
        <thead className="bg-slate-50 text-xs text-slate-500 dark:bg-slate-900/60 dark:text-slate-400">
          <tr>
            <th scope="col" className={`${th} pl-5`}>Person</th>
            <th scope="col" className={th}>Issued</th>
            <th scope="col" className={th}>Expires</th>
            <th scope="col" className={th}>Status</th>
            <th scope="col" className={`${th} pr-5 text-right`}><span className="sr-only">Actions</span></th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
          {access.credentials.map((c) => (
            <tr key={c.userId} data-person={c.email}>
              <th scope="row" className="py-2 pr-3 pl-5 font-medium text-slate-900 dark:text-slate-100">
                {c.name ?? c.email}
                {c.name ? <span className="block text-xs font-normal text-slate-500 dark:text-slate-400">{c.email}</span> : null}
                <span className="block text-xs font-normal text-slate-500 dark:text-slate-400" title={`Service account ${c.serviceAccount} in the virtual cluster`}>
                  Kubernetes role: {c.role}
                </span>
              </th>
              <td className={td}>
                <RelativeTime date={c.issuedAt} />
                {c.downloads > 1 ? <span className="block text-xs text-slate-500 dark:text-slate-400">{c.downloads} downloads</span> : null}
              </td>
              <td className={td}>{c.state === "active" ? <RelativeTime date={c.expiresAt} mode="expiry" /> : <RelativeTime date={c.expiresAt} />}</td>
              <td className={td}>
                <Badge tone={STATE[c.state].tone}>{STATE[c.state].label}</Badge>
                {c.revokedAt ? (
                  <span className="block text-xs text-slate-500 dark:text-slate-400">
                    <RelativeTime date={c.revokedAt} />
                    {c.revokedBy ? ` · ${c.revokedBy}` : ""}
                  </span>
                ) : null}
                {c.state === "revoking" ? <span className="block text-xs text-slate-500 dark:text-slate-400">applied when the cluster answers</span> : null}
              </td>
              <td className="py-2 pr-5 pl-3 text-right">
                {access.canRevoke && c.revokeReason !== "revoked" ? <RevokeAccessButton action={revokeAction} clusterId={clusterId} clusterName={clusterName} person={c} /> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

function RevokeAccessButton({ action, clusterId, clusterName, person }: { action: FormAction; clusterId: string; clusterName: string; person: TClusterCredential }) {
  const [open, setOpen] = useState(false);
  const [state, formAction, pending] = useActionState(action, initialState);
  useActionFeedback(state, { clusterId, onSuccess: () => setOpen(false) });
  return (
    <>
      <Button variant="secondary" size="sm" icon={<UserX className="size-4" aria-hidden />} onClick={() => setOpen(true)} className="text-red-700 dark:text-red-400" aria-label={`Revoke access of ${person.email}`}>
        Revoke access
      </Button>
      <Dialog
        open={open}
        onClose={() => {
          if (!pending) setOpen(false);
        }}
        title={`Revoke ${person.email}'s access to ${clusterName}?`}
        description={
          <>
            Their ServiceAccount <code className="font-mono text-[13px]">{person.serviceAccount}</code> is deleted inside the cluster: every kubeconfig they downloaded gets{" "}
            <strong>401</strong> from the cluster&apos;s API server within seconds, and they cannot download a new one. What they created in the cluster stays.
          </>
        }
      >
        <ConfirmForm action={formAction} state={state} pending={pending} onCancel={() => setOpen(false)} confirmLabel="Revoke access" pendingLabel="Revoking…">
          <input type="hidden" name="clusterId" value={clusterId} />
          <input type="hidden" name="userId" value={person.userId} />
        </ConfirmForm>
      </Dialog>
      <ActionMessage state={state} className="sr-only" />
    </>
  );
}
